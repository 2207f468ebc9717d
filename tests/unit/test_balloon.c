/* Balloon against the memory model: value parsing, target arithmetic,
 * inflate and deflate to targets up and down, partial and refused
 * hypercalls, lying results, OS shortage, FIST keys, balloon-active,
 * back-off, the time budget, concurrent readers of the counters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <sched.h>

#include "balloon.h"
#include "balloon_pfns.h"
#include "hypercall.h"
#include "sim_memory.h"

#define RAM_PAGES 4096	/* 16 MiB of guest RAM */
#define RAM_KIB (RAM_PAGES * 4)
#define S 1000000000ull

/* ---- a small xenstore and the OS callbacks ---- */

#define NODES 8

struct node {
	const char *name;
	char value[64];
	size_t len;
	bool present;
	xen_status err;		/* returned by read when set */
};

static struct fixture {
	struct node nodes[NODES];
	unsigned writes_active;
	char active[4];
	xen_status write_err;
	bool feature;
	uint64_t advance_ns;	/* virtual time each pages_alloc takes */
	unsigned frees;
} f;

static struct node *node_of(const char *name)
{
	unsigned i;

	for (i = 0; i < NODES; i++)
		if (f.nodes[i].name && strcmp(f.nodes[i].name, name) == 0)
			return &f.nodes[i];
	for (i = 0; i < NODES; i++)
		if (!f.nodes[i].name) {
			f.nodes[i].name = name;
			return &f.nodes[i];
		}
	fail_msg("too many nodes");
	return NULL;
}

static void set_node(const char *name, const char *value)
{
	struct node *n = node_of(name);

	n->present = value != NULL;
	if (value) {
		n->len = strlen(value);
		memcpy(n->value, value, n->len);
	}
}

static xen_status f_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	struct node *n = node_of(node);

	assert_ptr_equal(ctx, &f);
	if (n->err)
		return n->err;
	if (!n->present)
		return -XEN_ENOENT;
	memcpy(buf, n->value, n->len < size ? n->len : size);
	*len = n->len;
	return XEN_OK;
}

static xen_status f_write(void *ctx, const char *node, const char *value)
{
	(void)ctx;
	if (f.write_err)
		return f.write_err;
	if (strcmp(node, BALLOON_ACTIVE_NODE) == 0) {
		f.writes_active++;
		snprintf(f.active, sizeof(f.active), "%s", value);
	} else if (strcmp(node, BALLOON_FEATURE_NODE) == 0) {
		assert_true(strcmp(value, "1") == 0 || strcmp(value, "0") == 0);
		f.feature = value[0] == '1';
	} else {
		fail_msg("unexpected write %s", node);
	}
	return XEN_OK;
}

static size_t f_pages_alloc(void *ctx, uint64_t *pfns, size_t count)
{
	(void)ctx;
	if (f.advance_ns)
		host_time_advance(f.advance_ns);
	return sim_memory_os_alloc(NULL, pfns, count);
}

static void f_pages_free(void *ctx, const uint64_t *pfns, size_t count)
{
	(void)ctx;
	f.frees++;
	sim_memory_os_free(NULL, pfns, count);
}

static const struct balloon_ops ops = {
	&f, f_read, f_write, f_pages_alloc, f_pages_free,
};

static struct balloon *b;

static void set_limits(uint64_t static_max_kib, uint64_t videoram_kib, uint64_t target_kib)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", (unsigned long long)static_max_kib);
	set_node(BALLOON_STATIC_MAX_NODE, v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)videoram_kib);
	set_node(BALLOON_VIDEORAM_NODE, v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)target_kib);
	set_node(BALLOON_TARGET_NODE, v);
}

static void set_target_kib(uint64_t kib)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", (unsigned long long)kib);
	set_node(BALLOON_TARGET_NODE, v);
}

static int setup(void **state)
{
	uint32_t r[4];

	(void)state;
	memset(&f, 0, sizeof(f));
	host_reset();
	host_time_virtual(true);
	sim_init(NULL);
	sim_memory_init(RAM_PAGES, SIM_MEMORY_PROTECT);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(balloon_create(NULL, &ops, NULL, &b), XEN_OK);
	return 0;
}

static unsigned long calls(long cmd)
{
	return sim_calls(__HYPERVISOR_memory_op, cmd);
}

/* Every page is either in the balloon (unpopulated, Xen's) or back with
 * the OS (populated), never both, never neither. */
static void check_consistent(void)
{
	uint64_t size = balloon_size(b), i, holes = 0;
	struct sim_memory_stats ms;

	for (i = 0; i < RAM_PAGES; i++)
		holes += !sim_memory_is_populated(sim_memory_first_pfn() + i);
	assert_int_equal(holes, size);
	sim_memory_get_stats(&ms);
	/* A repopulated frame leaves its old page charged (as on Xen). */
	assert_int_equal(sim_memory_tot_pages(), RAM_PAGES - size + ms.repopulated);
	assert_int_equal(sim_memory_os_free_pages() + size, RAM_PAGES);
	assert_int_equal(ms.os_bad_frees, 0);
	assert_int_equal(ms.foreign_frames, 0);
}

static int teardown(void **state)
{
	struct sim_memory_stats ms;

	(void)state;
	if (b) {
		sim_fail_clear();
		sim_memory_set_pool(RAM_PAGES);
		sim_memory_set_max_pages(RAM_PAGES);
		set_node(BALLOON_FIST_DEFLATION_NODE, NULL);
		assert_int_equal(balloon_suspend_trylock(b), true);
		balloon_suspend_unlock(b);
		assert_int_equal(balloon_adjust(b, 0), XEN_OK);
		check_consistent();
		assert_int_equal(balloon_destroy(b), XEN_OK);
		b = NULL;
	}
	sim_memory_get_stats(&ms);
	assert_int_equal(ms.os_bad_frees, 0);
	hypercall_fini();
	sim_fini();
	host_reset();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

#define L(s) s, sizeof(s) - 1

/* ---- parsing and arithmetic ---- */

static void parse_decimal_table(void **state)
{
	static const struct {
		const char *v;
		size_t len;
		xen_status st;
		uint64_t out;
	} rows[] = {
		{ L("0"), XEN_OK, 0 },
		{ L("1048576"), XEN_OK, 1048576 },
		{ L("0001048576"), XEN_OK, 1048576 },
		{ L("18446744073709551615"), XEN_OK, UINT64_MAX },
		{ L("18446744073709551616"), -XEN_ERANGE, 0 },
		{ L("99999999999999999999999"), -XEN_ERANGE, 0 },
		{ L(""), -XEN_EINVAL, 0 },
		{ L("+1"), -XEN_EINVAL, 0 },
		{ L("-1"), -XEN_EINVAL, 0 },
		{ L(" 1"), -XEN_EINVAL, 0 },
		{ L("1 "), -XEN_EINVAL, 0 },
		{ L("1\n"), -XEN_EINVAL, 0 },
		{ L("12a"), -XEN_EINVAL, 0 },
		{ L("0x10"), -XEN_EINVAL, 0 },
		{ L("1\0002"), -XEN_EINVAL, 0 },
		{ L("\xb9"), -XEN_EINVAL, 0 },
		{ NULL, 3, -XEN_EINVAL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t out = 12345;

		assert_int_equal(balloon_parse_decimal(rows[i].v, rows[i].len, &out), rows[i].st);
		assert_int_equal(out, rows[i].st == XEN_OK ? rows[i].out : 12345);
	}
	/* Bounded by len. */
	{
		uint64_t out;

		assert_int_equal(balloon_parse_decimal("12junk", 2, &out), XEN_OK);
		assert_int_equal(out, 12);
	}
}

static void parse_fist_table(void **state)
{
	char many[80];
	bool blocked = true;

	(void)state;
	assert_int_equal(balloon_parse_fist(L("0"), &blocked), XEN_OK);
	assert_false(blocked);
	assert_int_equal(balloon_parse_fist(L("1"), &blocked), XEN_OK);
	assert_true(blocked);
	assert_int_equal(balloon_parse_fist(L("0010"), &blocked), XEN_OK);
	assert_true(blocked);
	assert_int_equal(balloon_parse_fist(L("2"), &blocked), -XEN_EINVAL);
	assert_false(blocked);
	assert_int_equal(balloon_parse_fist(L(""), &blocked), -XEN_EINVAL);
	assert_int_equal(balloon_parse_fist(L("1 "), &blocked), -XEN_EINVAL);
	memset(many, '1', 65);
	assert_int_equal(balloon_parse_fist(many, 65, &blocked), -XEN_EINVAL);
	assert_int_equal(balloon_parse_fist(many, 64, &blocked), XEN_OK);
	assert_true(blocked);
	memset(many, '0', 79);
	many[79] = '1';
	assert_int_equal(balloon_parse_fist(many, 80, &blocked), XEN_OK);
	assert_true(blocked);
}

static void target_arithmetic(void **state)
{
	(void)state;
	/* 4 GiB static-max, 8 MiB video, target 2 GiB. */
	assert_int_equal(balloon_target_pages(2097152, 4194304, 8192),
			 (4194304 - 8192) / 4 - 2097152 / 4);
	/* Target at or above static-max - videoram: nothing to give. */
	assert_int_equal(balloon_target_pages(4194304, 4194304, 8192), 0);
	assert_int_equal(balloon_target_pages(UINT64_MAX, 4194304, 0), 0);
	/* Target 0: everything usable goes. */
	assert_int_equal(balloon_target_pages(0, 4194304, 0), 1048576);
	/* Videoram above static-max: nothing usable. */
	assert_int_equal(balloon_target_pages(0, 4096, 8192), 0);
	/* Non-multiples of 4 KiB round each side down. */
	assert_int_equal(balloon_target_pages(7, 15, 0), 3 - 1);
	assert_int_equal(balloon_target_pages(0, UINT64_MAX, 0), UINT64_MAX / 4);
}

static void create_checks_arguments(void **state)
{
	struct balloon_ops bad = ops;
	struct balloon_config c;
	struct options o;
	struct balloon *x = (void *)1;

	(void)state;
	options_parse(L(" XEN:BALLOON=OFF"), &o);
	assert_int_equal(balloon_create(&o, &ops, NULL, &x), -XEN_ENODEV);
	assert_null(x);
	options_parse(L(" XEN:BALLOON=ON"), &o);
	assert_int_equal(balloon_create(&o, &ops, NULL, &x), XEN_OK);
	assert_int_equal(balloon_destroy(x), XEN_OK);
	bad.pages_alloc = NULL;
	assert_int_equal(balloon_create(NULL, &bad, NULL, &x), -XEN_EINVAL);
	balloon_config_defaults(&c);
	assert_int_equal(c.batch, BALLOON_BATCH_MAX);
	c.batch = BALLOON_BATCH_MAX + 1;
	assert_int_equal(balloon_create(NULL, &ops, &c, &x), -XEN_EINVAL);
	c.batch = 0;
	assert_int_equal(balloon_create(NULL, &ops, &c, &x), -XEN_EINVAL);
	balloon_config_defaults(&c);
	c.backoff_min_ns = c.backoff_max_ns + 1;
	assert_int_equal(balloon_create(NULL, &ops, &c, &x), -XEN_EINVAL);
	host_alloc_fail(0, 1);
	assert_int_equal(balloon_create(NULL, &ops, NULL, &x), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
}

/* ---- adjusting ---- */

static void inflate_and_deflate_in_batches(void **state)
{
	struct balloon_stats st;

	(void)state;
	assert_int_equal(balloon_adjust(b, 1300), XEN_OK);
	assert_int_equal(balloon_size(b), 1300);
	assert_int_equal(calls(XENMEM_decrease_reservation), 3);	/* 512 + 512 + 276 */
	assert_int_equal(sim_memory_pool(), 1300);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_int_equal(st.runs, 1);	/* the OS gave ascending frames */
	assert_true(st.bookkeeping_bytes > 0);
	assert_int_equal(balloon_adjust(b, 1300), XEN_OK);
	assert_int_equal(calls(XENMEM_decrease_reservation), 3);
	assert_int_equal(balloon_adjust(b, 100), XEN_OK);
	assert_int_equal(calls(XENMEM_populate_physmap), 3);	/* 512 + 512 + 176 */
	check_consistent();
	assert_int_equal(balloon_adjust(b, 3000), XEN_OK);
	check_consistent();
	assert_int_equal(balloon_adjust(b, 0), XEN_OK);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_int_equal(st.inflated, 1300 + 2900);
	assert_int_equal(st.deflated, 1200 + 3000);
	assert_int_equal(st.decrease_calls, calls(XENMEM_decrease_reservation));
	assert_int_equal(st.populate_calls, calls(XENMEM_populate_physmap));
	assert_int_equal(st.partial + st.refused + st.bogus + st.backoffs, 0);
	assert_int_equal(st.retry_ns, 0);
}

static void target_watch_up_and_down(void **state)
{
	struct balloon_stats st;

	(void)state;
	/* static-max 16 MiB, 1 MiB of it video: 3840 usable pages. */
	set_limits(RAM_KIB, 1024, 8192);
	assert_int_equal(balloon_advertise(b, true), XEN_OK);
	assert_true(f.feature);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 3840 - 2048);
	assert_string_equal(f.active, "0");
	assert_int_equal(f.writes_active, 2);	/* "1" then "0" */
	check_consistent();

	set_target_kib(4096);	/* down: more into the balloon */
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 3840 - 1024);
	set_target_kib(12000);	/* up: out of the balloon */
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 3840 - 3000);
	check_consistent();

	/* Unchanged target: no hypercall, no store write. */
	{
		unsigned long d = calls(XENMEM_decrease_reservation);
		unsigned w = f.writes_active;

		assert_int_equal(balloon_target_changed(b), XEN_OK);
		assert_int_equal(calls(XENMEM_decrease_reservation), d);
		assert_int_equal(f.writes_active, w);
	}

	/* Above static-max - videoram is clamped: the balloon empties. */
	set_target_kib(UINT64_MAX);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 0);
	balloon_get_stats(b, &st);
	assert_int_equal(st.static_max_kib, RAM_KIB);
	assert_int_equal(st.videoram_kib, 1024);
	assert_false(st.adjusting_disabled);
	assert_int_equal(balloon_advertise(b, false), XEN_OK);
	assert_false(f.feature);
}

static void limits_are_read_once(void **state)
{
	(void)state;
	set_limits(RAM_KIB, 0, RAM_KIB - 400);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 100);
	/* A later static-max change is not looked at (upstream reads once). */
	set_node(BALLOON_STATIC_MAX_NODE, "8");
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 100);
}

static void malformed_target_keeps_previous(void **state)
{
	static const char *const junk[] = {
		"", "abc", " 8192", "8192 ", "8192\n", "-1", "0x2000",
		"99999999999999999999999", "000000000000000000000000000000000001",
	};
	struct balloon_stats st;
	size_t i;

	(void)state;
	/* No target yet and a bad one: nothing happens. */
	set_limits(RAM_KIB, 0, 0);
	set_node(BALLOON_TARGET_NODE, "x");
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	set_target_kib(RAM_KIB - 2048);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 512);
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		set_node(BALLOON_TARGET_NODE, junk[i]);
		assert_int_equal(balloon_target_changed(b), XEN_OK);
		assert_int_equal(balloon_size(b), 512);
	}
	balloon_get_stats(b, &st);
	assert_int_equal(st.bad_values, 1 + sizeof(junk) / sizeof(junk[0]));
	/* Gone: the last valid target still holds. */
	set_node(BALLOON_TARGET_NODE, NULL);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 512);
	check_consistent();
}

static void missing_static_max_disables(void **state)
{
	struct balloon_stats st;

	(void)state;
	set_node(BALLOON_TARGET_NODE, "4096");
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	balloon_get_stats(b, &st);
	assert_true(st.adjusting_disabled);
	/* Latched: a static-max appearing later does not switch it on. */
	set_limits(RAM_KIB, 0, 4096);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	assert_int_equal(f.writes_active, 0);
}

static void unusable_limits_disable(void **state)
{
	static const struct {
		const char *max, *video;
	} rows[] = {
		{ "0", "0" }, { "16384k", "0" }, { "", NULL }, { "16384", "1 024" },
		{ "99999999999999999999999", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct balloon *x;
		struct balloon_stats st;

		set_node(BALLOON_STATIC_MAX_NODE, rows[i].max);
		set_node(BALLOON_VIDEORAM_NODE, rows[i].video);
		set_node(BALLOON_TARGET_NODE, "4096");
		assert_int_equal(balloon_create(NULL, &ops, NULL, &x), XEN_OK);
		assert_int_equal(balloon_target_changed(x), XEN_OK);
		balloon_get_stats(x, &st);
		assert_true(st.adjusting_disabled);
		assert_int_equal(balloon_size(x), 0);
		assert_int_equal(balloon_destroy(x), XEN_OK);
	}
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	/* Missing videoram is optional: 0. */
	set_node(BALLOON_VIDEORAM_NODE, NULL);
	set_limits(RAM_KIB, 0, RAM_KIB - 40);
	set_node(BALLOON_VIDEORAM_NODE, NULL);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 10);
}

static void store_errors_are_retried(void **state)
{
	struct balloon_stats st;

	(void)state;
	set_limits(RAM_KIB, 0, RAM_KIB - 400);
	node_of(BALLOON_STATIC_MAX_NODE)->err = -XEN_EIO;
	assert_int_equal(balloon_target_changed(b), -XEN_EIO);
	node_of(BALLOON_STATIC_MAX_NODE)->err = 0;
	node_of(BALLOON_TARGET_NODE)->err = -XEN_EAGAIN;
	assert_int_equal(balloon_target_changed(b), -XEN_EAGAIN);
	node_of(BALLOON_TARGET_NODE)->err = 0;
	/* balloon-active cannot be written: adjusting goes on regardless. */
	f.write_err = -XEN_EACCES;
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_int_equal(balloon_size(b), 100);
	f.write_err = 0;
	balloon_get_stats(b, &st);
	/* 2 reads and "1"; "0" is not needed as "1" never got there. */
	assert_int_equal(st.store_errors, 3);
	assert_false(st.adjusting_disabled);
	assert_false(st.active);
}

static void hypercall_failures_back_off(void **state)
{
	struct balloon_stats st;
	size_t os_free = sim_memory_os_free_pages();

	(void)state;
	sim_fail(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, XEN_ENOMEM, 0, 7);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	/* Nothing went: the pages the OS gave are all back with it. */
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(sim_memory_os_free_pages(), os_free);
	assert_int_equal(balloon_retry_ns(b), 1 * S);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_retry_ns(b), 2 * S);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_retry_ns(b), 4 * S);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_retry_ns(b), 32 * S);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_retry_ns(b), 32 * S);	/* bounded */
	check_consistent();
	/* Xen takes pages again. */
	assert_int_equal(balloon_adjust(b, 1000), XEN_OK);
	assert_int_equal(balloon_retry_ns(b), 0);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_int_equal(st.refused, 7);
	assert_int_equal(st.backoffs, 7);
	/* A failure after some progress retries at the minimum. */
	sim_fail(__HYPERVISOR_memory_op, XENMEM_populate_physmap, XEN_EFAULT, 1, 1);
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 1000 - 512);
	assert_int_equal(balloon_retry_ns(b), 1 * S);
	check_consistent();
}

static void partial_results_are_exact(void **state)
{
	struct balloon_stats st;

	(void)state;
	sim_memory_limit_next(XENMEM_decrease_reservation, 100);
	assert_int_equal(balloon_adjust(b, 1000), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 100);
	check_consistent();
	assert_int_equal(balloon_adjust(b, 1000), XEN_OK);
	check_consistent();
	/* Deflate: Xen only has 300 free pages (another domain took them). */
	sim_memory_set_pool(300);
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 700);
	check_consistent();
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 700);
	sim_memory_set_pool(RAM_PAGES);
	/* max_pages stops populate too. */
	sim_memory_set_max_pages(RAM_PAGES - 500);
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 500);
	check_consistent();
	sim_memory_set_max_pages(RAM_PAGES);
	assert_int_equal(balloon_adjust(b, 0), XEN_OK);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_int_equal(st.partial, 3);
	assert_int_equal(st.refused, 1);
}

static void bogus_results_are_safe(void **state)
{
	struct balloon_stats st;
	struct sim_memory_stats ms;

	(void)state;
	/* Xen did all 512 but claims more: all count as gone. */
	sim_memory_lie_next(XENMEM_decrease_reservation, 100000);
	assert_int_equal(balloon_adjust(b, 512), XEN_OK);
	assert_int_equal(balloon_size(b), 512);
	check_consistent();
	/* Populate claims more than asked: nothing is believed back, the OS
	 * gets no page that might be empty. */
	sim_memory_lie_next(XENMEM_populate_physmap, 513);
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 512);
	balloon_get_stats(b, &st);
	assert_int_equal(st.bogus, 2);
	sim_memory_get_stats(&ms);
	assert_int_equal(ms.os_bad_frees, 0);
	/* The next populate maps them again (Xen leaks the old pages). */
	sim_memory_set_pool(RAM_PAGES);
	sim_memory_set_max_pages(RAM_PAGES + 512);
	assert_int_equal(balloon_adjust(b, 0), XEN_OK);
	sim_memory_get_stats(&ms);
	assert_int_equal(ms.repopulated, 512);
	assert_int_equal(ms.os_bad_frees, 0);
	/* A negative result means nothing was done. */
	sim_memory_lie_next(XENMEM_decrease_reservation, -XEN_EINVAL);
	sim_memory_limit_next(XENMEM_decrease_reservation, 0);
	assert_int_equal(balloon_adjust(b, 10), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(sim_memory_os_free_pages(), RAM_PAGES);
}

static void os_shortage_and_odd_frames(void **state)
{
	struct balloon_stats st;

	(void)state;
	sim_memory_os_limit(700);
	assert_int_equal(balloon_adjust(b, 2000), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 700);
	check_consistent();
	assert_int_equal(balloon_adjust(b, 2000), -XEN_EAGAIN);
	assert_int_equal(balloon_retry_ns(b), 2 * S);	/* no progress: doubled */
	sim_memory_os_limit(SIZE_MAX);
	assert_int_equal(balloon_adjust(b, 2000), XEN_OK);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_int_equal(st.os_short, 2);
	assert_int_equal(calls(XENMEM_decrease_reservation), 2 + 3);
}

/* An OS layer that hands out a frame the balloon cannot hold. */
static uint64_t odd_freed[4];
static unsigned odd_nfreed;

static size_t odd_alloc(void *ctx, uint64_t *pfns, size_t count)
{
	(void)ctx;
	assert_true(count >= 2);
	pfns[0] = BALLOON_PFNS_LIMIT;
	pfns[1] = UINT64_MAX;
	return 2;
}

static void odd_free(void *ctx, const uint64_t *pfns, size_t count)
{
	(void)ctx;
	while (count--)
		odd_freed[odd_nfreed++] = *pfns++;
}

static void unholdable_frames_go_back(void **state)
{
	struct balloon_ops o = ops;
	struct balloon_stats st;
	struct balloon *x;

	(void)state;
	o.pages_alloc = odd_alloc;
	o.pages_free = odd_free;
	assert_int_equal(balloon_create(NULL, &o, NULL, &x), XEN_OK);
	assert_int_equal(balloon_adjust(x, 10), -XEN_EAGAIN);
	assert_int_equal(odd_nfreed, 2);
	assert_true(odd_freed[0] == BALLOON_PFNS_LIMIT || odd_freed[1] == BALLOON_PFNS_LIMIT);
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	balloon_get_stats(x, &st);
	assert_int_equal(st.os_refused_pfns, 2);
	assert_int_equal(balloon_destroy(x), XEN_OK);
}

static void scattered_frames(void **state)
{
	struct balloon_stats st;

	(void)state;
	sim_memory_os_shuffle(12345);
	assert_int_equal(balloon_adjust(b, 3000), XEN_OK);
	check_consistent();
	balloon_get_stats(b, &st);
	assert_true(st.runs > 1000);
	assert_int_equal(balloon_adjust(b, 1234), XEN_OK);
	check_consistent();
	assert_int_equal(balloon_adjust(b, 3900), XEN_OK);
	check_consistent();
}

static void fist_keys_block_a_direction(void **state)
{
	struct balloon_stats st;

	(void)state;
	set_node(BALLOON_FIST_INFLATION_NODE, "1");
	assert_int_equal(balloon_adjust(b, 100), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	set_node(BALLOON_FIST_INFLATION_NODE, "junk");	/* ignored */
	assert_int_equal(balloon_adjust(b, 100), XEN_OK);
	set_node(BALLOON_FIST_INFLATION_NODE, "0");
	set_node(BALLOON_FIST_DEFLATION_NODE, "10");
	assert_int_equal(balloon_adjust(b, 200), XEN_OK);
	assert_int_equal(balloon_adjust(b, 0), -XEN_EAGAIN);
	assert_int_equal(balloon_size(b), 200);
	assert_int_equal(calls(XENMEM_populate_physmap), 0);
	balloon_get_stats(b, &st);
	assert_int_equal(st.fist_blocked, 2);
	assert_int_equal(st.bad_values, 1);
	set_node(BALLOON_FIST_DEFLATION_NODE, NULL);
	assert_int_equal(balloon_adjust(b, 0), XEN_OK);
	/* Through the watch path: active stays "1" while blocked. */
	set_limits(RAM_KIB, 0, RAM_KIB - 40);
	set_node(BALLOON_FIST_INFLATION_NODE, "1");
	assert_int_equal(balloon_target_changed(b), -XEN_EAGAIN);
	assert_string_equal(f.active, "1");
	set_node(BALLOON_FIST_INFLATION_NODE, NULL);
	assert_int_equal(balloon_target_changed(b), XEN_OK);
	assert_string_equal(f.active, "0");
}

static void one_adjustment_at_a_time(void **state)
{
	(void)state;
	assert_int_equal(balloon_adjust(b, 10), XEN_OK);
	assert_true(balloon_suspend_trylock(b));
	assert_false(balloon_suspend_trylock(b));
	assert_int_equal(balloon_adjust(b, 20), -XEN_EBUSY);
	assert_int_equal(balloon_target_changed(b), -XEN_EBUSY);
	assert_int_equal(balloon_destroy(b), -XEN_EBUSY);
	balloon_suspend_unlock(b);
	assert_int_equal(balloon_destroy(b), -XEN_EBUSY);	/* still inflated */
	assert_int_equal(balloon_size(b), 10);
}

static void time_budget_splits_long_runs(void **state)
{
	struct balloon_config c;
	struct balloon *x;

	(void)state;
	balloon_config_defaults(&c);
	c.budget_ns = 5000000;	/* 5 ms */
	f.advance_ns = 2000000;	/* each OS allocation takes 2 ms */
	assert_int_equal(balloon_create(NULL, &ops, &c, &x), XEN_OK);
	assert_int_equal(balloon_adjust(x, 3000), -XEN_EAGAIN);
	assert_int_equal(balloon_size(x), 3 * 512);
	assert_int_equal(balloon_retry_ns(x), 0);	/* not a refusal */
	assert_int_equal(balloon_adjust(x, 3000), XEN_OK);
	assert_int_equal(balloon_size(x), 3000);
	f.advance_ns = 0;
	assert_int_equal(balloon_adjust(x, 0), XEN_OK);
	assert_int_equal(balloon_destroy(x), XEN_OK);
}

static void small_batches(void **state)
{
	struct balloon_config c;
	struct balloon *x;

	(void)state;
	balloon_config_defaults(&c);
	c.batch = 7;
	assert_int_equal(balloon_create(NULL, &ops, &c, &x), XEN_OK);
	assert_int_equal(balloon_adjust(x, 50), XEN_OK);
	assert_int_equal(calls(XENMEM_decrease_reservation), 8);
	assert_int_equal(balloon_adjust(x, 0), XEN_OK);
	assert_int_equal(calls(XENMEM_populate_physmap), 8);
	assert_int_equal(balloon_destroy(x), XEN_OK);
}

static void bookkeeping_memory_failure(void **state)
{
	struct balloon_stats st;

	(void)state;
	host_alloc_fail(0, 1);
	assert_int_equal(balloon_adjust(b, 100), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_int_equal(balloon_size(b), 0);
	assert_int_equal(calls(XENMEM_decrease_reservation), 0);
	assert_int_equal(sim_memory_os_free_pages(), RAM_PAGES);
	assert_int_equal(balloon_retry_ns(b), 1 * S);
	balloon_get_stats(b, &st);
	assert_int_equal(st.no_memory, 1);
	assert_int_equal(balloon_adjust(b, 100), XEN_OK);
}

static void reservation_query(void **state)
{
	uint64_t cur = 0, max = 0;

	(void)state;
	assert_int_equal(balloon_adjust(b, 96), XEN_OK);
	assert_int_equal(balloon_reservation(&cur, &max), XEN_OK);
	assert_int_equal(cur, RAM_PAGES - 96);
	assert_int_equal(max, RAM_PAGES);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_maximum_reservation, XEN_EPERM, 0, 1);
	assert_int_equal(balloon_reservation(&cur, &max), -XEN_EPERM);
}

static void model_checks_like_xen(void **state)
{
	struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
	/* An even frame, for the order-1 cases. */
	xen_pfn_t even = (xen_pfn_t)(sim_memory_first_pfn() + (sim_memory_first_pfn() & 1));
	xen_pfn_t frame = even;
	struct sim_memory_stats ms;

	(void)state;
	set_xen_guest_handle(r.extent_start, &frame);
	/* Order above the domU limit: nothing done. */
	r.extent_order = 10;
	assert_int_equal(hypercall_memory_op(XENMEM_decrease_reservation, &r), 0);
	r.extent_order = 0;
	/* Someone else's reservation. */
	r.domid = 7;
	assert_int_equal(hypercall_memory_op(XENMEM_decrease_reservation, &r), -XEN_EPERM);
	r.domid = DOMID_SELF;
	/* A frame outside RAM is not the domain's. */
	frame = 1;
	assert_int_equal(hypercall_memory_op(XENMEM_decrease_reservation, &r), 0);
	/* A frame the OS still owns: done, but counted as a guest bug. */
	frame = even;
	assert_int_equal(hypercall_memory_op(XENMEM_decrease_reservation, &r), 1);
	assert_int_equal(hypercall_memory_op(XENMEM_decrease_reservation, &r), 0);	/* gone */
	sim_memory_get_stats(&ms);
	assert_int_equal(ms.foreign_frames, 1);
	/* Misaligned order-1 populate. */
	frame = even + 1;
	r.extent_order = 1;
	sim_memory_set_pool(2);
	sim_memory_set_max_pages(RAM_PAGES + 1);
	assert_int_equal(hypercall_memory_op(XENMEM_populate_physmap, &r), 0);
	frame = even;
	assert_int_equal(hypercall_memory_op(XENMEM_populate_physmap, &r), 1);
	sim_memory_get_stats(&ms);
	assert_int_equal(ms.repopulated, 1);	/* even + 1 was still there */
	assert_true(sim_memory_is_populated(even));
	assert_int_equal(sim_memory_tot_pages(), RAM_PAGES + 1);
	/* The fixture's balloon never saw any of this. */
	balloon_destroy(b);
	b = NULL;
}

/* Readers on other threads see whole snapshots while a run goes on. */
static volatile bool readers_stop;
static unsigned long reader_bad, reader_reads;

static void *stats_reader(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&readers_stop, __ATOMIC_ACQUIRE)) {
		struct balloon_stats st;
		uint64_t size = balloon_size(b);

		balloon_get_stats(b, &st);
		if (st.inflated - st.deflated != st.size || st.size > RAM_PAGES ||
		    size > RAM_PAGES)
			__atomic_fetch_add(&reader_bad, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&reader_reads, 1, __ATOMIC_RELAXED);
		/* Let the writer in: valgrind runs one thread at a time, and two
		 * readers hammering the publish lock starve it there. */
		sched_yield();
	}
	return NULL;
}

static void stats_snapshots_under_concurrency(void **state)
{
	pthread_t th[2];
	struct balloon_config c;
	unsigned i;

	(void)state;
	/* Small batches: many publications while the readers run. */
	assert_int_equal(balloon_destroy(b), XEN_OK);
	balloon_config_defaults(&c);
	c.batch = 3;
	assert_int_equal(balloon_create(NULL, &ops, &c, &b), XEN_OK);
	readers_stop = false;
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, stats_reader, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(balloon_adjust(b, 1500), XEN_OK);
		assert_int_equal(balloon_adjust(b, 100), XEN_OK);
	}
	__atomic_store_n(&readers_stop, true, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(reader_bad, 0);
	assert_true(reader_reads > 0);
	check_consistent();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_decimal_table),
		cmocka_unit_test(parse_fist_table),
		cmocka_unit_test(target_arithmetic),
		T(create_checks_arguments),
		T(inflate_and_deflate_in_batches),
		T(target_watch_up_and_down),
		T(limits_are_read_once),
		T(malformed_target_keeps_previous),
		T(missing_static_max_disables),
		T(unusable_limits_disable),
		T(store_errors_are_retried),
		T(hypercall_failures_back_off),
		T(partial_results_are_exact),
		T(bogus_results_are_safe),
		T(os_shortage_and_odd_frames),
		T(unholdable_frames_go_back),
		T(scattered_frames),
		T(fist_keys_block_a_direction),
		T(one_adjustment_at_a_time),
		T(time_budget_splits_long_runs),
		T(small_batches),
		T(bookkeeping_memory_failure),
		T(reservation_query),
		T(model_checks_like_xen),
		T(stats_snapshots_under_concurrency),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
