/* The log formatter (against the C library's vsnprintf) and the sinks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include "log.h"
#include "log_capture.h"
#include "sim.h"

/* ---- formatter ---- */

static unsigned compared;
static const char *volatile null_string;

/* Format with both and compare output and return value, in a buffer of
 * `size` bytes (the canaries around it must survive). */
static void check_sized(size_t size, const char *fmt, va_list ap)
{
	char ours[600], theirs[600];
	va_list a1, a2;
	size_t n;
	int m;

	assert_true(size <= 512);
	memset(ours, 0x5a, sizeof(ours));
	memset(theirs, 0x5a, sizeof(theirs));
	va_copy(a1, ap);
	va_copy(a2, ap);
	n = log_format(ours + 8, size, fmt, a1);
	m = vsnprintf(theirs + 8, size, fmt, a2);
	va_end(a1);
	va_end(a2);
	if ((int)n != m || memcmp(ours, theirs, sizeof(ours)) != 0) {
		print_error("format \"%s\" size %zu: ours %zu \"%s\", libc %d \"%s\"\n", fmt, size, n,
			    size ? ours + 8 : "", m, size ? theirs + 8 : "");
		fail();
	}
	compared++;
}

static void check(const char *fmt, ...)
{
	va_list ap;
	static const size_t sizes[] = { 512, 0, 1, 2, 7 };

	va_start(ap, fmt);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_sized(sizes[i], fmt, ap);
	va_end(ap);
}

static const char *const int_flags[] = { "", "-", "0", "+", " ", "-+", "0+", "- ", "#", "#0" };
static const char *const widths[] = { "", "1", "3", "12", "25" };
static const char *const precs[] = { "", ".0", ".1", ".5", ".20" };

static void format_signed_matches_libc(void **state)
{
	static const long long values[] = { 0, 1, -1, 42, -42, 127, 128, 255, 256, 32767, -32768,
					    65535, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };
	char f[64];

	(void)state;
	for (size_t fl = 0; fl < 8; fl++)	/* '#' is undefined for %d */
		for (size_t w = 0; w < 5; w++)
			for (size_t p = 0; p < 5; p++)
				for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
					long long x = values[v];

					snprintf(f, sizeof(f), "[%%%s%s%sd]", int_flags[fl], widths[w], precs[p]);
					check(f, (int)x);
					snprintf(f, sizeof(f), "[%%%s%s%si]", int_flags[fl], widths[w], precs[p]);
					check(f, (int)x);
					snprintf(f, sizeof(f), "<%%%s%s%sld>", int_flags[fl], widths[w], precs[p]);
					check(f, (long)x);
					snprintf(f, sizeof(f), "<%%%s%s%slld>", int_flags[fl], widths[w], precs[p]);
					check(f, x);
					snprintf(f, sizeof(f), "<%%%s%s%shd>", int_flags[fl], widths[w], precs[p]);
					check(f, (int)x);
					snprintf(f, sizeof(f), "<%%%s%s%shhd>", int_flags[fl], widths[w], precs[p]);
					check(f, (int)x);
					snprintf(f, sizeof(f), "<%%%s%s%szd>", int_flags[fl], widths[w], precs[p]);
					check(f, (ptrdiff_t)x);
				}
}

static void format_unsigned_matches_libc(void **state)
{
	static const unsigned long long values[] = { 0, 1, 7, 8, 9, 10, 15, 16, 255, 256, 0xdeadbeef,
						     UINT_MAX, 0x100000000ULL, ULLONG_MAX };
	static const char convs[] = "uoxX";
	char f[64];

	(void)state;
	for (size_t c = 0; c < 4; c++)
		for (size_t fl = 0; fl < 10; fl++)
			for (size_t w = 0; w < 5; w++)
				for (size_t p = 0; p < 5; p++)
					for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
						unsigned long long x = values[v];
						const char *fls = int_flags[fl];

						if (convs[c] == 'u' && strchr(fls, '#'))
							continue;	/* undefined */
						snprintf(f, sizeof(f), "%%%s%s%s%c|", fls, widths[w], precs[p], convs[c]);
						check(f, (unsigned)x);
						snprintf(f, sizeof(f), "%%%s%s%sl%c|", fls, widths[w], precs[p], convs[c]);
						check(f, (unsigned long)x);
						snprintf(f, sizeof(f), "%%%s%s%sll%c|", fls, widths[w], precs[p], convs[c]);
						check(f, x);
						snprintf(f, sizeof(f), "%%%s%s%sz%c|", fls, widths[w], precs[p], convs[c]);
						check(f, (size_t)x);
						snprintf(f, sizeof(f), "%%%s%s%sh%c|", fls, widths[w], precs[p], convs[c]);
						check(f, (unsigned)x);
						snprintf(f, sizeof(f), "%%%s%s%shh%c|", fls, widths[w], precs[p], convs[c]);
						check(f, (unsigned)x);
					}
}

static void format_strings_chars_pointers_match_libc(void **state)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string of text", "tab\there" };
	static const char *const sflags[] = { "", "-" };
	static int object;
	const void *ptrs[] = { &object, (void *)(uintptr_t)1, (void *)UINTPTR_MAX, (void *)0x1000 };
	char f[64];

	(void)state;
	for (size_t fl = 0; fl < 2; fl++)
		for (size_t w = 0; w < 5; w++) {
			for (size_t p = 0; p < 5; p++)
				for (size_t s = 0; s < 5; s++) {
					snprintf(f, sizeof(f), "'%%%s%s%ss'", sflags[fl], widths[w], precs[p]);
					check(f, strs[s]);
				}
			snprintf(f, sizeof(f), "'%%%s%sc'", sflags[fl], widths[w]);
			check(f, 'x');
			check(f, '%');
			for (size_t p = 0; p < 4; p++) {
				snprintf(f, sizeof(f), "'%%%s%sp'", sflags[fl], widths[w]);
				check(f, ptrs[p]);
			}
		}
	check("%p", (void *)NULL);
	check("[%10p]", (void *)NULL);
	check("[%-10p]", (void *)NULL);
	check("%s", null_string);
	check("[%10s]", null_string);
	check("%%");
	check("100%% done %d%%", 5);
	check("plain text, no conversions");
	check("");
	check("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
	check("%.*d|%.*s|%.*s", 4, 7, 3, "abcdef", -1, "xyz");
	check("%*.*x", 10, 6, 0xbeefu);
	check("%c%c%c", 'a', 'b', 'c');
	check("%s=%d %s=%u %s=%x", "a", -1, "b", 3u, "c", 255u);
	check("%jd %ju %td", (intmax_t)-5, (uintmax_t)5, (ptrdiff_t)-9);
	check("%lu %lx %ld", ULONG_MAX, ULONG_MAX, LONG_MIN);
	print_message("%u formats compared with vsnprintf\n", compared);
}

static void format_reads_no_further_than_precision(void **state)
{
	char unterminated[4] = { 'a', 'b', 'c', 'd' };
	char out[16];

	(void)state;
	assert_int_equal(log_snprintf(out, sizeof(out), "%.4s|", unterminated), 5);
	assert_string_equal(out, "abcd|");
	assert_int_equal(log_snprintf(out, sizeof(out), "%.*s", 2, unterminated), 2);
	assert_string_equal(out, "ab");
}

/* Formats the compiler must not check (they are wrong on purpose): a call
 * through a pointer carries no format attribute. */
static size_t (*volatile raw_format)(char *, size_t, const char *, ...) = log_snprintf;

static void format_copies_unknown_conversions(void **state)
{
	char out[64];
	int n = 7;

	(void)state;
	/* %n is not supported: it is printed, never written through. */
	raw_format(out, sizeof(out), "a%nb %q %Z %", &n);
	assert_string_equal(out, "a%nb %q %Z %");
	assert_int_equal(n, 7);
	raw_format(out, sizeof(out), "%5");
	assert_string_equal(out, "%5");
	raw_format(out, sizeof(out), "%-08.3");
	assert_string_equal(out, "%-08.3");
}

static void format_clamps_huge_widths(void **state)
{
	char out[32];
	size_t n;

	(void)state;
	n = log_snprintf(out, sizeof(out), "%*d", INT_MAX, 1);
	assert_int_equal(n, 4096);
	n = raw_format(out, sizeof(out), "%*d", INT_MIN, 1);
	assert_int_equal(n, 4096);
	n = raw_format(out, sizeof(out), "%99999999999999999999d", 1);
	assert_int_equal(n, 4096);
	assert_int_equal(strlen(out), sizeof(out) - 1);
}

/* ---- sinks ---- */

static struct log_capture qemu_port;

static void qemu_port_out(uint16_t port, unsigned size, uint32_t value)
{
	char c = (char)value;

	assert_int_equal(port, 0x12);
	assert_int_equal(size, 1);
	log_capture_write(&qemu_port, &c, 1);
}

static int setup(void **state)
{
	(void)state;
	sim_init(NULL);
	log_capture_clear(&qemu_port);
	sim_register_ports(0x12, 1, NULL, qemu_port_out);
	log_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_init();
	sim_fini();
	return 0;
}

static void port_sinks_follow_their_masks(void **state)
{
	int xen, qemu;

	(void)state;
	assert_int_equal(log_add_port_sink(LOG_XEN_PORT, LOG_XEN_DEFAULT_MASK, &xen), XEN_OK);
	assert_int_equal(log_add_port_sink(LOG_QEMU_PORT, LOG_QEMU_DEFAULT_MASK, &qemu), XEN_OK);
	assert_int_not_equal(xen, qemu);
	log_printf(LOG_INFO, "info %d\n", 1);
	log_printf(LOG_TRACE, "trace %d\n", 2);
	log_printf(LOG_CRITICAL, "crit %s\n", "x");
	log_printf(LOG_ERROR | LOG_CRITICAL, "both\n");
	assert_string_equal(sim_debug_output(), "crit x\nboth\n");
	assert_string_equal(qemu_port.text, "info 1\ncrit x\nboth\n");
	log_printf(LOG_NONE, "never\n");
	assert_string_equal(qemu_port.text, "info 1\ncrit x\nboth\n");
}

static void removed_sinks_get_nothing(void **state)
{
	struct log_capture a = { 0 }, b = { 0 };
	int ha, hb;

	(void)state;
	assert_int_equal(log_add_sink(log_capture_write, &a, LOG_ERROR, &ha), XEN_OK);
	assert_int_equal(log_add_sink(log_capture_write, &b, LOG_ERROR | LOG_INFO, &hb), XEN_OK);
	log_printf(LOG_ERROR, "one ");
	log_remove_sink(ha);
	log_printf(LOG_ERROR, "two ");
	log_printf(LOG_INFO, "three");
	assert_string_equal(a.text, "one ");
	assert_string_equal(b.text, "one two three");
	/* A stale handle must not remove the sink that reused the slot. */
	assert_int_equal(log_add_sink(log_capture_write, &a, LOG_ERROR, &ha), XEN_OK);
	log_remove_sink(hb);
	log_remove_sink(hb);
	log_remove_sink(0);
	log_remove_sink(-5);
	log_remove_sink(INT_MAX);
	log_printf(LOG_ERROR, "four");
	assert_string_equal(a.text, "one four");
	assert_string_equal(b.text, "one two three");
	assert_int_equal(log_set_sink_mask(hb, LOG_INFO), -XEN_ENOENT);
	assert_int_equal(log_set_sink_mask(ha, LOG_INFO), XEN_OK);
	log_printf(LOG_ERROR, "five");
	log_printf(LOG_INFO, "six");
	assert_string_equal(a.text, "one foursix");
}

static void at_most_eight_sinks(void **state)
{
	struct log_capture c = { 0 };
	int h[LOG_MAX_SINKS], extra = -1;

	(void)state;
	for (int i = 0; i < LOG_MAX_SINKS; i++)
		assert_int_equal(log_add_sink(log_capture_write, &c, LOG_WARNING, &h[i]), XEN_OK);
	assert_int_equal(log_add_sink(log_capture_write, &c, LOG_WARNING, &extra), -XEN_ENOSPC);
	assert_int_equal(log_add_port_sink(0x12, LOG_WARNING, &extra), -XEN_ENOSPC);
	assert_int_equal(extra, -1);
	log_printf(LOG_WARNING, "w");
	assert_int_equal(c.messages, LOG_MAX_SINKS);
	log_remove_sink(h[3]);
	assert_int_equal(log_add_sink(log_capture_write, &c, LOG_WARNING, NULL), XEN_OK);
	assert_int_equal(log_add_sink(log_capture_write, &c, LOG_WARNING, NULL), -XEN_ENOSPC);
}

static void bad_sinks_are_refused(void **state)
{
	struct log_capture c = { 0 };
	int h = -1;

	(void)state;
	assert_int_equal(log_add_sink(log_capture_write, &c, LOG_NONE, &h), -XEN_EINVAL);
	assert_int_equal(log_add_port_sink(0xe9, LOG_NONE, &h), -XEN_EINVAL);
	assert_int_equal(log_add_sink(NULL, &c, LOG_INFO, &h), -XEN_EINVAL);
	assert_int_equal(h, -1);
}

static void long_messages_are_cut_at_the_slot(void **state)
{
	struct log_capture c = { 0 };
	char big[1000];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(log_add_sink(log_capture_write, &c, LOG_INFO, NULL), XEN_OK);
	log_printf(LOG_INFO, "%s%s", big, big);
	assert_int_equal(c.last_len, LOG_SLOT_SIZE - 1);
	assert_int_equal(strspn(c.text, "q"), LOG_SLOT_SIZE - 1);
	/* A cut line still ends its line. */
	log_capture_clear(&c);
	log_printf(LOG_INFO, "%s tail\n", big);
	assert_int_equal(c.last_len, LOG_SLOT_SIZE - 1);
	assert_int_equal(c.text[LOG_SLOT_SIZE - 2], '\n');
	assert_int_equal(strspn(c.text, "q"), LOG_SLOT_SIZE - 2);
	/* Exactly a slot's worth fits uncut. */
	log_capture_clear(&c);
	log_printf(LOG_INFO, "%.*s", LOG_SLOT_SIZE - 1, big);
	assert_int_equal(c.last_len, LOG_SLOT_SIZE - 1);
	log_printf(LOG_INFO, "%s", null_string);
	assert_int_equal(c.last_len, 6);
	assert_int_equal(c.max_len, LOG_SLOT_SIZE - 1);
	assert_int_equal(c.overflowed, 0);
	assert_string_equal(c.text + LOG_SLOT_SIZE - 1, "(null)");
}

static struct log_capture reentry;

static void reentering_write(void *ctx, const char *buf, size_t len)
{
	log_capture_write(ctx, buf, len);
	/* A sink that logs (e.g. a console write failing) must not deadlock. */
	log_printf(LOG_INFO, "from inside the sink\n");
}

static void logging_from_a_sink_is_dropped(void **state)
{
	(void)state;
	log_capture_clear(&reentry);
	assert_int_equal(log_add_sink(reentering_write, &reentry, LOG_INFO, NULL), XEN_OK);
	log_printf(LOG_INFO, "outer\n");
	assert_string_equal(reentry.text, "outer\n");
	assert_int_equal(log_dropped(), 1);
	assert_int_equal(host_locks_held(), 0);
}

static void nothing_happens_without_sinks(void **state)
{
	(void)state;
	log_printf(LOG_CRITICAL, "nobody listens\n");
	assert_string_equal(sim_debug_output(), "");
	assert_int_equal(qemu_port.len, 0);
	assert_int_equal(host_locks_held(), 0);
}

/* ---- concurrency: every message arrives whole, sinks come and go ---- */

enum { THREADS = 4, PER_THREAD = 2000 };

static struct {
	unsigned whole, torn;
	unsigned per_thread[THREADS];
	unsigned side_calls;
	int stop;
} conc;

/* Runs under the log lock: plain counters are safe here. */
static void conc_sink(void *ctx, const char *buf, size_t len)
{
	unsigned t;

	(void)ctx;
	if (len < 4 || buf[0] != 'T' || buf[len - 1] != '\n' || memchr(buf, '\n', len) != buf + len - 1) {
		conc.torn++;
		return;
	}
	t = (unsigned)(buf[1] - '0');
	if (t >= THREADS) {
		conc.torn++;
		return;
	}
	conc.whole++;
	conc.per_thread[t]++;
}

static void side_sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	conc.side_calls++;
}

static void *conc_logger(void *arg)
{
	unsigned t = (unsigned)(uintptr_t)arg;

	host_set_cpu(t);
	for (unsigned i = 0; i < PER_THREAD; i++)
		log_printf(LOG_INFO, "T%u message %u from a thread with some padding text\n", t, i);
	return NULL;
}

static void *conc_churner(void *arg)
{
	(void)arg;
	host_set_cpu(THREADS);
	while (!__atomic_load_n(&conc.stop, __ATOMIC_RELAXED)) {
		int h;

		if (log_add_sink(side_sink, NULL, LOG_INFO, &h) == XEN_OK)
			log_remove_sink(h);
	}
	return NULL;
}

static void concurrent_messages_arrive_whole(void **state)
{
	pthread_t loggers[THREADS], churner;

	(void)state;
	memset(&conc, 0, sizeof(conc));
	host_set_cpu_count(THREADS + 1);
	assert_int_equal(log_add_sink(conc_sink, NULL, LOG_INFO, NULL), XEN_OK);
	assert_int_equal(pthread_create(&churner, NULL, conc_churner, NULL), 0);
	for (unsigned t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&loggers[t], NULL, conc_logger, (void *)(uintptr_t)t), 0);
	for (unsigned t = 0; t < THREADS; t++)
		assert_int_equal(pthread_join(loggers[t], NULL), 0);
	__atomic_store_n(&conc.stop, 1, __ATOMIC_RELAXED);
	assert_int_equal(pthread_join(churner, NULL), 0);
	assert_int_equal(conc.torn, 0);
	/* Each thread has its own CPU number, so nothing is dropped. */
	assert_int_equal(log_dropped(), 0);
	assert_int_equal(conc.whole, THREADS * PER_THREAD);
	for (unsigned t = 0; t < THREADS; t++)
		assert_int_equal(conc.per_thread[t], PER_THREAD);
	assert_true(conc.side_calls <= THREADS * PER_THREAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_signed_matches_libc),
		cmocka_unit_test(format_unsigned_matches_libc),
		cmocka_unit_test(format_strings_chars_pointers_match_libc),
		cmocka_unit_test(format_reads_no_further_than_precision),
		cmocka_unit_test(format_copies_unknown_conversions),
		cmocka_unit_test(format_clamps_huge_widths),
		cmocka_unit_test_setup_teardown(port_sinks_follow_their_masks, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_sinks_get_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(at_most_eight_sinks, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_sinks_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(long_messages_are_cut_at_the_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(logging_from_a_sink_is_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_happens_without_sinks, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_messages_arrive_whole, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
