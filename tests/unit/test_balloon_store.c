/* The balloon on the real store client against the xenstored and memory
 * models: the toolstack writes memory/target, the watch fires, the balloon
 * follows it up and down, control/balloon-active and feature-balloon show
 * in the tree, and a refused run asks the OS layer for a retry. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "balloon_store.h"
#include "hypercall.h"
#include "sim_memory.h"
#include "store_fixture.h"

#define RAM_PAGES 2048	/* 8 MiB */
#define HOME "/local/domain/1/"

static struct {
	struct balloon *b;
	struct balloon_watch w;
	unsigned retries;
	uint64_t retry_delay;
} t;

static void retry(void *ctx, uint64_t delay_ns)
{
	assert_ptr_equal(ctx, &t);
	t.retries++;
	t.retry_delay = delay_ns;
}

static int setup(void **state)
{
	struct balloon_ops ops = {
		NULL, balloon_store_read, balloon_store_write,
		sim_memory_os_alloc, sim_memory_os_free,
	};
	uint32_t r[4];

	memset(&t, 0, sizeof(t));
	store_fixture_setup(state);
	sim_memory_init(RAM_PAGES, SIM_MEMORY_PROTECT);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	ops.ctx = FX(state)->store;
	assert_int_equal(balloon_create(NULL, &ops, NULL, &t.b), XEN_OK);
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(balloon_watch_stop(&t.w), XEN_OK);
	sim_fail_clear();
	assert_int_equal(balloon_adjust(t.b, 0), XEN_OK);
	assert_int_equal(balloon_destroy(t.b), XEN_OK);
	assert_int_equal(sim_memory_os_free_pages(), RAM_PAGES);
	hypercall_fini();
	return store_fixture_teardown(state);
}

static void expect_node(const char *path, const char *value)
{
	char *v = sim_xenstore_read(path);

	if (!value) {
		assert_null(v);
		return;
	}
	assert_non_null(v);
	assert_string_equal(v, value);
	free(v);
}

static void watch_follows_the_toolstack(void **state)
{
	struct store *s = FX(state)->store;

	(void)state;
	assert_int_equal(sim_xenstore_write(HOME "memory/static-max", "8192"), 0);
	assert_int_equal(sim_xenstore_write(HOME "memory/target", "6144"), 0);
	assert_int_equal(balloon_advertise(t.b, true), XEN_OK);
	expect_node(HOME "control/feature-balloon", "1");

	/* The watch fires once on registration: the first run. */
	assert_int_equal(balloon_watch_start(&t.w, s, t.b, retry, &t), XEN_OK);
	store_fixture_settle();
	assert_int_equal(balloon_size(t.b), 512);
	assert_int_equal(t.w.last, XEN_OK);
	expect_node(HOME "control/balloon-active", "0");

	assert_int_equal(sim_xenstore_write(HOME "memory/target", "2048"), 0);
	store_fixture_settle();
	assert_int_equal(balloon_size(t.b), 1536);
	assert_int_equal(sim_xenstore_write(HOME "memory/target", "7000"), 0);
	store_fixture_settle();
	assert_int_equal(balloon_size(t.b), 298);	/* 2048 - 7000/4 */
	/* Junk from the toolstack changes nothing. */
	assert_int_equal(sim_xenstore_write(HOME "memory/target", "lots"), 0);
	store_fixture_settle();
	assert_int_equal(balloon_size(t.b), 298);
	assert_true(t.w.runs >= 4);
	assert_int_equal(t.retries, 0);

	assert_int_equal(balloon_advertise(t.b, false), XEN_OK);
	expect_node(HOME "control/feature-balloon", "0");
	assert_int_equal(balloon_advertise(t.b, false), XEN_OK);	/* again: no change */
	expect_node(HOME "control/feature-balloon", "0");
}

static void refused_run_asks_for_a_retry(void **state)
{
	struct store *s = FX(state)->store;

	(void)state;
	assert_int_equal(sim_xenstore_write(HOME "memory/static-max", "8192"), 0);
	assert_int_equal(sim_xenstore_write(HOME "memory/target", "4096"), 0);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_decrease_reservation, XEN_ENOMEM, 0, 1);
	assert_int_equal(balloon_watch_start(&t.w, s, t.b, retry, &t), XEN_OK);
	store_fixture_settle();
	assert_int_equal(t.w.last, -XEN_EAGAIN);
	assert_int_equal(t.retries, 1);
	assert_int_equal(t.retry_delay, 1000000000ull);
	expect_node(HOME "control/balloon-active", "1");
	assert_int_equal(balloon_size(t.b), 0);
	/* The OS layer's timer fires. */
	assert_int_equal(balloon_watch_retry(&t.w), XEN_OK);
	assert_int_equal(balloon_size(t.b), 1024);
	expect_node(HOME "control/balloon-active", "0");
}

static void read_reports_full_length(void **state)
{
	struct store *s = FX(state)->store;
	char buf[4];
	size_t len = 0;

	(void)state;
	assert_int_equal(sim_xenstore_write(HOME "memory/target", "123456789"), 0);
	assert_int_equal(balloon_store_read(s, BALLOON_TARGET_NODE, buf, sizeof(buf), &len),
			 XEN_OK);
	assert_int_equal(len, 9);
	assert_memory_equal(buf, "1234", 4);
	assert_int_equal(balloon_store_read(s, "memory/none", buf, sizeof(buf), &len),
			 -XEN_ENOENT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(watch_follows_the_toolstack),
		T(refused_run_asks_for_a_retry),
		T(read_reports_full_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
