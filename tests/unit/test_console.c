/* PV console ring against the backend model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "console.h"
#include "hypercall.h"
#include "log.h"
#include "sim.h"
#include "sim_console.h"

static struct console con;

static int setup(void **state)
{
	(void)state;
	sim_init(NULL);
	sim_console_init();
	console_init(&con);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	console_disable(&con);
	assert_int_equal(console_wakeup_count(&con), 0);
	sim_fini();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static void enable(void)
{
	assert_int_equal(console_enable(&con, sim_console_ring(), sim_console_notify, NULL), XEN_OK);
}

static void write_reaches_backend(void **state)
{
	size_t done = 99;

	(void)state;
	enable();
	assert_true(console_can_write(&con));
	assert_int_equal(console_write(&con, "hello", 5, &done), XEN_OK);
	assert_int_equal(done, 5);
	assert_int_equal(sim_console_kicks(), 1);
	assert_int_equal(sim_console_drain(), 5);
	assert_string_equal(sim_console_output(), "hello");
	/* Nothing written: no notification. */
	assert_int_equal(console_write(&con, "", 0, &done), XEN_OK);
	assert_int_equal(done, 0);
	assert_int_equal(sim_console_kicks(), 1);
}

static void full_ring_gives_partial_writes(void **state)
{
	char big[3000];
	size_t done;

	(void)state;
	memset(big, 'x', sizeof(big));
	enable();
	assert_int_equal(console_write(&con, big, sizeof(big), &done), XEN_OK);
	assert_int_equal(done, 2048);
	assert_false(console_can_write(&con));
	assert_int_equal(console_write(&con, big, 10, &done), XEN_OK);
	assert_int_equal(done, 0);
	assert_int_equal(sim_console_kicks(), 1);
	assert_int_equal(sim_console_drain(), 2048);
	assert_true(console_can_write(&con));
	assert_int_equal(console_write(&con, big, 952, &done), XEN_OK);
	assert_int_equal(done, 952);
}

static void read_takes_backend_input(void **state)
{
	char buf[8];
	size_t done;

	(void)state;
	enable();
	assert_false(console_can_read(&con));
	assert_int_equal(console_read(&con, buf, sizeof(buf), &done), XEN_OK);
	assert_int_equal(done, 0);
	assert_int_equal(sim_console_kicks(), 0);
	assert_int_equal(sim_console_send("abc", 3), 3);
	assert_true(console_can_read(&con));
	assert_int_equal(console_read(&con, buf, 2, &done), XEN_OK);
	assert_int_equal(done, 2);
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(sim_console_kicks(), 1);
	assert_int_equal(console_read(&con, buf, sizeof(buf), &done), XEN_OK);
	assert_int_equal(done, 1);
	assert_int_equal(buf[0], 'c');
	assert_int_equal(sim_console_ring()->in_cons, 3);
	assert_false(console_can_read(&con));
	/* The backend can fill the whole input ring and no more. */
	memset(buf, 'z', sizeof(buf));
	for (done = 0; sim_console_send(buf, 1) == 1; done++)
		;
	assert_int_equal(done, 1024);
}

/* Random-sized traffic in both directions across many index wraps, with the
 * indices starting just below the 32-bit wrap. */
static void streams_survive_wraps(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	static char sent[200000], got[200000];
	char in_sent[4096], in_got[4096];
	size_t s = 0, g, done, is = 0, ig = 0;
	unsigned seed = 7, i;

	(void)state;
	r->out_prod = r->out_cons = 0xfffff000u;
	r->in_prod = r->in_cons = 0xffffff00u;
	enable();
	for (i = 0; i < sizeof(sent); i++)
		sent[i] = (char)('a' + i % 23);
	while (s < sizeof(sent)) {
		size_t len;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % 700;
		if (len > sizeof(sent) - s)
			len = sizeof(sent) - s;
		assert_int_equal(console_write(&con, sent + s, len, &done), XEN_OK);
		assert_true(done <= len);
		s += done;
		if (seed & 0x100)
			assert_true(sim_console_drain() != (size_t)-1);
		/* Input: the backend sends a little, the guest reads a little. */
		for (i = 0; i < ((seed >> 9) & 7); i++) {
			char ch = (char)('A' + is % 26);

			if (is < sizeof(in_sent) && sim_console_send(&ch, 1) == 1)
				in_sent[is++] = ch;
		}
		len = (seed >> 12) % 5;
		if (len > sizeof(in_got) - ig)
			len = sizeof(in_got) - ig;
		assert_int_equal(console_read(&con, in_got + ig, len, &done), XEN_OK);
		ig += done;
	}
	sim_console_drain();
	g = strlen(sim_console_output());
	/* The model keeps the last 64 KiB; compare that tail. */
	memcpy(got, sim_console_output(), g);
	assert_memory_equal(got, sent + sizeof(sent) - g, g);
	assert_int_equal(console_read(&con, in_got + ig, sizeof(in_got) - ig, &done), XEN_OK);
	ig += done;
	assert_int_equal(ig, is);
	assert_memory_equal(in_got, in_sent, is);
	assert_int_equal(console_status(&con), XEN_OK);
}

static void broken_backend_indices_stop_the_ring(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	char buf[4];
	size_t done = 9;

	(void)state;
	enable();
	/* The backend claims to have consumed more than was ever written. */
	r->out_cons = 5000;
	assert_int_equal(console_write(&con, "x", 1, &done), -XEN_EIO);
	assert_int_equal(done, 0);
	assert_int_equal(console_status(&con), -XEN_EIO);
	/* Sticky: repairing the index does not revive it, re-enabling does. */
	r->out_cons = 0;
	assert_int_equal(console_write(&con, "x", 1, &done), -XEN_EIO);
	assert_false(console_can_write(&con));
	assert_int_equal(sim_console_kicks(), 0);
	enable();
	assert_int_equal(console_write(&con, "x", 1, &done), XEN_OK);
	assert_int_equal(done, 1);

	/* Input claimed beyond the ring size. */
	r->in_prod = r->in_cons + 1025;
	assert_false(console_can_read(&con));
	assert_int_equal(console_read(&con, buf, sizeof(buf), &done), -XEN_EIO);
	assert_int_equal(done, 0);
}

static void own_indices_are_not_read_back(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	size_t done;

	(void)state;
	enable();
	assert_int_equal(console_write(&con, "a", 1, &done), XEN_OK);
	r->out_prod = 12345;	/* a backend scribbling on our index */
	assert_int_equal(console_write(&con, "b", 1, &done), XEN_OK);
	assert_int_equal(r->out_prod, 2);
	assert_int_equal(sim_console_drain(), 2);
	assert_string_equal(sim_console_output(), "ab");
}

static void enable_checks_the_page(void **state)
{
	struct xencons_interface *r = sim_console_ring();
	size_t done = 5;

	(void)state;
	assert_int_equal(console_status(&con), -XEN_ENOTCONN);
	assert_int_equal(console_write(&con, "x", 1, &done), -XEN_ENOTCONN);
	assert_int_equal(done, 0);
	assert_false(console_can_write(&con));
	r->out_prod = 3000;
	assert_int_equal(console_enable(&con, r, sim_console_notify, NULL), -XEN_EIO);
	r->out_prod = 0;
	r->in_prod = 2000;
	assert_int_equal(console_enable(&con, r, sim_console_notify, NULL), -XEN_EIO);
	assert_int_equal(console_status(&con), -XEN_ENOTCONN);
	r->in_prod = 0;
	assert_int_equal(console_enable(&con, NULL, sim_console_notify, NULL), -XEN_EINVAL);
	assert_int_equal(console_enable(&con, r, NULL, NULL), -XEN_EINVAL);
	/* Output an earlier owner left is kept, not overwritten. */
	r->out[0] = 'o';
	r->out[1] = 'k';
	r->out_prod = 2;
	enable();
	assert_int_equal(console_write(&con, "!", 1, &done), XEN_OK);
	sim_console_drain();
	assert_string_equal(sim_console_output(), "ok!");
	console_disable(&con);
	assert_int_equal(console_write(&con, "x", 1, &done), -XEN_ENOTCONN);
}

static void wakeups_are_set_on_events(void **state)
{
	struct console_wakeup *w1, *w2;
	os_event e1, e2;

	(void)state;
	os_event_init(&e1);
	os_event_init(&e2);
	assert_int_equal(console_wakeup_add(&con, &e1, &w1), XEN_OK);
	assert_int_equal(console_wakeup_add(&con, &e2, &w2), XEN_OK);
	assert_int_equal(console_wakeup_count(&con), 2);
	enable();	/* the initial poll */
	assert_true(e1.set && e2.set);
	os_event_reset(&e1);
	os_event_reset(&e2);
	console_event(&con);
	assert_true(e1.set && e2.set);
	os_event_reset(&e1);
	os_event_reset(&e2);
	console_wakeup_remove(&con, w1);
	console_event(&con);
	assert_false(e1.set);
	assert_true(e2.set);
	host_alloc_fail(0, 1);
	assert_int_equal(console_wakeup_add(&con, &e1, &w1), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_int_equal(console_wakeup_add(&con, NULL, &w1), -XEN_EINVAL);
	console_wakeup_remove(&con, w2);
	console_wakeup_remove(&con, NULL);
	assert_int_equal(console_wakeup_count(&con), 0);
}

static void log_sink_expands_newlines(void **state)
{
	char line[300];
	size_t i;

	(void)state;
	enable();
	console_log_write(&con, "a\nb\n", 4);
	sim_console_drain();
	assert_string_equal(sim_console_output(), "a\r\nb\r\n");
	sim_console_output_clear();
	/* Longer than the staging chunk, all newlines. */
	memset(line, '\n', sizeof(line));
	console_log_write(&con, line, sizeof(line));
	sim_console_drain();
	assert_int_equal(strlen(sim_console_output()), 2 * sizeof(line));
	for (i = 0; i < 2 * sizeof(line); i += 2)
		assert_memory_equal(sim_console_output() + i, "\r\n", 2);
	/* A full ring drops the rest and counts it; nothing blocks. */
	memset(line, 'x', sizeof(line));
	for (i = 0; i < 7; i++)
		console_log_write(&con, line, sizeof(line));
	assert_int_equal(con.dropped, 7 * sizeof(line) - 2048);
	assert_int_equal(con.bytes_out, 6 + 2 * sizeof(line) + 2048);
}

static void works_as_a_log_sink(void **state)
{
	int h;

	(void)state;
	enable();
	log_init();
	assert_int_equal(log_add_sink(console_log_write, &con, LOG_WARNING, &h), XEN_OK);
	log_printf(LOG_WARNING, "xenbus|%s: %d\n", "test", 42);
	log_printf(LOG_INFO, "not for the console\n");
	log_printf(LOG_WARNING, "two\nlines\n");
	assert_int_equal(sim_console_kicks(), 2);	/* one ring write per message */
	sim_console_drain();
	assert_string_equal(sim_console_output(), "xenbus|test: 42\r\ntwo\r\nlines\r\n");
	log_remove_sink(h);
	log_init();
}

#define WRITERS 2
#define PER_WRITER 20000
static unsigned long atomic_kicks;
static volatile int writers_done;

static void count_kick(void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&atomic_kicks, 1, __ATOMIC_RELAXED);
}

static void *writer(void *arg)
{
	char unit[7];
	size_t sent = 0, done;

	host_set_cpu((unsigned)(uintptr_t)arg);
	memset(unit, 'a' + (int)(uintptr_t)arg, sizeof(unit));
	while (sent < PER_WRITER) {
		size_t len = PER_WRITER - sent < sizeof(unit) ? PER_WRITER - sent : sizeof(unit);

		if (console_write(&con, unit, len, &done) != XEN_OK)
			return (void *)1;
		sent += done;
	}
	__atomic_add_fetch(&writers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Two CPUs write while the backend drains: no byte lost or invented. */
static void concurrent_writers(void **state)
{
	pthread_t t[WRITERS];
	size_t counts[WRITERS] = { 0 }, i, len;
	const char *o;
	uintptr_t w;
	void *rc;

	(void)state;
	host_set_cpu_count(WRITERS);
	assert_int_equal(console_enable(&con, sim_console_ring(), count_kick, NULL), XEN_OK);
	for (w = 0; w < WRITERS; w++)
		assert_int_equal(pthread_create(&t[w], NULL, writer, (void *)w), 0);
	while (__atomic_load_n(&writers_done, __ATOMIC_ACQUIRE) < WRITERS) {
		assert_true(sim_console_drain() != (size_t)-1);
		o = sim_console_output();
		len = strlen(o);
		for (i = 0; i < len; i++)
			counts[o[i] - 'a']++;
		sim_console_output_clear();
	}
	for (w = 0; w < WRITERS; w++) {
		assert_int_equal(pthread_join(t[w], &rc), 0);
		assert_null(rc);
	}
	sim_console_drain();
	o = sim_console_output();
	for (i = 0; o[i]; i++)
		counts[o[i] - 'a']++;
	for (w = 0; w < WRITERS; w++)
		assert_int_equal(counts[w], PER_WRITER);
	assert_int_equal(con.bytes_out, WRITERS * PER_WRITER);
	assert_true(atomic_kicks > 0);
	host_set_cpu_count(1);
}

static long fake_params(const uintptr_t args[5])
{
	struct xen_hvm_param *p = (void *)args[1];

	if (p->index == HVM_PARAM_CONSOLE_EVTCHN)
		p->value = sim_console_kicks() == 0 ? 3 : sim_console_kicks() == 1 ? 0 : 1ull << 33;
	else if (p->index == HVM_PARAM_CONSOLE_PFN)
		p->value = sim_console_pfn();
	else
		return -XEN_EINVAL;
	return 0;
}

static void locate_reads_hvm_params(void **state)
{
	uint32_t r[4];
	uint64_t pfn = 0;
	evtchn_port_t port = 0;

	(void)state;
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_get_param, fake_params);
	assert_int_equal(console_locate(&pfn, &port), XEN_OK);
	assert_int_equal(port, 3);
	assert_int_equal(pfn, sim_console_pfn());
	sim_fail(__HYPERVISOR_hvm_op, HVMOP_get_param, XEN_ESRCH, 0, 1);
	assert_int_equal(console_locate(&pfn, &port), -XEN_ESRCH);
	sim_fail(__HYPERVISOR_hvm_op, HVMOP_get_param, XEN_EPERM, 1, 1);
	assert_int_equal(console_locate(&pfn, &port), -XEN_EPERM);
	sim_console_notify(NULL);	/* the fake now reports port 0: no console */
	assert_int_equal(console_locate(NULL, &port), -XEN_ENOENT);
	sim_console_notify(NULL);	/* and then a port that does not fit */
	assert_int_equal(console_locate(NULL, &port), -XEN_ERANGE);
	assert_int_equal(console_locate(NULL, NULL), -XEN_EINVAL);
	hypercall_fini();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(write_reaches_backend),
		T(full_ring_gives_partial_writes),
		T(read_takes_backend_input),
		T(streams_survive_wraps),
		T(broken_backend_indices_stop_the_ring),
		T(own_indices_are_not_read_back),
		T(enable_checks_the_page),
		T(wakeups_are_set_on_events),
		T(log_sink_expands_newlines),
		T(works_as_a_log_sink),
		T(concurrent_writers),
		T(locate_reads_hvm_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
