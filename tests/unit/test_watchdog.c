/* Domain watchdog against the scheduler model's virtual clock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "log.h"
#include "log_capture.h"
#include "sim.h"
#include "hypercall.h"
#include "sim_sched.h"
#include "watchdog.h"

#define S 1000000000ull

static struct watchdog wd;

static int setup_cpus(unsigned n)
{
	struct sim_config cfg = { .vcpus = n, .xen_major = 4, .xen_minor = 17, .domid = 1 };
	uint32_t r[4];

	sim_init(&cfg);
	sim_sched_init();
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	watchdog_init(&wd);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_cpus(1);
}

static int setup4(void **state)
{
	(void)state;
	return setup_cpus(4);
}

static int teardown(void **state)
{
	(void)state;
	watchdog_stop(&wd);
	hypercall_fini();
	sim_fini();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static void timeout_rules(void **state)
{
	(void)state;
	assert_int_equal(watchdog_timeout(0), 0);
	assert_int_equal(watchdog_timeout(1), 10);
	assert_int_equal(watchdog_timeout(9), 10);
	assert_int_equal(watchdog_timeout(10), 10);
	assert_int_equal(watchdog_timeout(30), 30);
	assert_int_equal(watchdog_timeout(UINT32_MAX), UINT32_MAX);
	assert_int_equal(watchdog_period_ns(30), 15 * S);
	assert_int_equal(watchdog_period_ns(UINT32_MAX), (uint64_t)UINT32_MAX * S / 2);
}

static void ticking_keeps_the_domain_alive(void **state)
{
	uint64_t expiry = 0;
	unsigned i;

	(void)state;
	log_capture_start(LOG_INFO);
	assert_int_equal(watchdog_start(&wd, 5, 1), XEN_OK);	/* raised to 10 s */
	assert_string_equal(log_captured.text, "WATCHDOG: ARMED (10 s, id 1, 1 CPUs)\n");
	log_init();
	assert_int_equal(wd.id, 1);
	assert_true(sim_sched_watchdog_armed(1, &expiry));
	assert_int_equal(expiry, 10 * S);
	for (i = 0; i < 20; i++) {
		sim_sched_advance_ns(watchdog_period_ns(10));
		assert_int_equal(watchdog_tick(&wd, 0), XEN_OK);
	}
	assert_int_equal(sim_sched_watchdog_resets(), 0);
	assert_int_equal(wd.pokes, 20);
	assert_int_equal(sim_sched_watchdog_pokes(), 20);
	/* Stop ticking: Xen resets the domain after the timeout. */
	sim_sched_advance_ns(9 * S);
	assert_int_equal(sim_sched_watchdog_resets(), 0);
	sim_sched_advance_ns(1 * S);
	assert_int_equal(sim_sched_watchdog_resets(), 1);
	assert_int_equal(sim_sched_last_shutdown(), SHUTDOWN_watchdog);
}

static void stalled_cpu_stops_the_pokes(void **state)
{
	unsigned i, cpu;

	(void)state;
	assert_int_equal(watchdog_start(&wd, 20, 4), XEN_OK);
	/* CPUs 0..2 tick, CPU 3 is stalled: no poke ever. */
	for (i = 0; i < 6; i++) {
		sim_sched_advance_ns(watchdog_period_ns(20));
		for (cpu = 0; cpu < 3; cpu++)
			assert_int_equal(watchdog_tick(&wd, cpu), XEN_OK);
		if (sim_sched_watchdog_resets())
			break;
	}
	assert_int_equal(wd.pokes, 0);
	assert_int_equal(sim_sched_watchdog_resets(), 1);
}

static void poke_needs_every_cpu(void **state)
{
	(void)state;
	assert_int_equal(watchdog_start(&wd, 20, 4), XEN_OK);
	assert_int_equal(watchdog_tick(&wd, 0), XEN_OK);
	assert_int_equal(watchdog_tick(&wd, 0), XEN_OK);
	assert_int_equal(watchdog_tick(&wd, 1), XEN_OK);
	assert_int_equal(watchdog_tick(&wd, 2), XEN_OK);
	assert_int_equal(wd.pokes, 0);
	assert_int_equal(watchdog_tick(&wd, 3), XEN_OK);
	assert_int_equal(wd.pokes, 1);
	/* A new round starts: CPU 3 again alone is not enough. */
	assert_int_equal(watchdog_tick(&wd, 3), XEN_OK);
	assert_int_equal(wd.pokes, 1);
	assert_int_equal(watchdog_tick(&wd, 4), -XEN_ERANGE);
}

static void stop_destroys_xen_watchdog(void **state)
{
	(void)state;
	assert_int_equal(watchdog_start(&wd, 10, 1), XEN_OK);
	assert_int_equal(watchdog_stop(&wd), XEN_OK);
	assert_false(sim_sched_watchdog_armed(1, NULL));
	sim_sched_advance_ns(100 * S);
	assert_int_equal(sim_sched_watchdog_resets(), 0);
	assert_int_equal(watchdog_tick(&wd, 0), -XEN_ENOTCONN);
	assert_int_equal(watchdog_stop(&wd), -XEN_ENOTCONN);
	/* It can be started again. */
	assert_int_equal(watchdog_start(&wd, 10, 1), XEN_OK);
	assert_int_equal(wd.id, 1);
}

static long zero_id(const uintptr_t args[5])
{
	(void)args;
	return 0;
}

static void start_errors(void **state)
{
	struct sched_watchdog w = { 0, 100 };

	(void)state;
	assert_int_equal(watchdog_start(&wd, 0, 1), -XEN_EINVAL);
	assert_int_equal(watchdog_start(&wd, 10, 0), -XEN_EINVAL);
	host_alloc_fail(1, 1);
	assert_int_equal(watchdog_start(&wd, 10, 1), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_int_equal(sim_calls(__HYPERVISOR_sched_op, SCHEDOP_watchdog), 0);
	sim_fail(__HYPERVISOR_sched_op, SCHEDOP_watchdog, XEN_EPERM, 0, 1);
	assert_int_equal(watchdog_start(&wd, 10, 1), -XEN_EPERM);
	assert_int_equal(wd.id, 0);
	/* Xen's two slots taken by someone else. */
	assert_true(hypercall_sched_op(SCHEDOP_watchdog, &w) > 0);
	assert_true(hypercall_sched_op(SCHEDOP_watchdog, &w) > 0);
	assert_int_equal(watchdog_start(&wd, 10, 1), -XEN_ENOSPC);
	/* An id Xen would never give. */
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_watchdog, zero_id);
	assert_int_equal(watchdog_start(&wd, 10, 1), -XEN_EIO);
	assert_int_equal(wd.id, 0);
}

static void start_twice_and_poke_failure(void **state)
{
	(void)state;
	assert_int_equal(watchdog_start(&wd, 10, 1), XEN_OK);
	assert_int_equal(watchdog_start(&wd, 10, 1), -XEN_EBUSY);
	sim_fail(__HYPERVISOR_sched_op, SCHEDOP_watchdog, XEN_EINVAL, 0, 1);
	assert_int_equal(watchdog_tick(&wd, 0), -XEN_EINVAL);
	assert_int_equal(wd.poke_errors, 1);
	assert_int_equal(wd.last_error, -XEN_EINVAL);
	assert_int_equal(watchdog_tick(&wd, 0), XEN_OK);
	assert_int_equal(wd.pokes, 1);
}

static void resume_arms_a_new_watchdog(void **state)
{
	uint64_t expiry;

	(void)state;
	assert_int_equal(watchdog_resume(&wd), -XEN_ENOTCONN);
	assert_int_equal(watchdog_start(&wd, 10, 1), XEN_OK);
	sim_sched_advance_ns(5 * S);
	assert_int_equal(watchdog_resume(&wd), XEN_OK);
	/* The model is still the old domain, so the new one gets id 2. */
	assert_int_equal(wd.id, 2);
	assert_true(sim_sched_watchdog_armed(2, &expiry));
	assert_int_equal(expiry, 15 * S);
	assert_int_equal(watchdog_tick(&wd, 0), XEN_OK);
	assert_int_equal(sim_sched_watchdog_pokes(), 1);
}

static void cpu_timers(void **state)
{
	(void)state;
	assert_int_equal(watchdog_cpu_timer(3, watchdog_period_ns(10)), XEN_OK);
	assert_int_equal(sim_sched_periodic_ns(3), 5 * S);
	assert_int_equal(watchdog_cpu_timer(3, 0), XEN_OK);
	assert_int_equal(sim_sched_periodic_ns(3), 0);
	assert_int_equal(watchdog_cpu_timer(4, 5 * S), -XEN_ENOENT);
	assert_int_equal(watchdog_cpu_timer(0, 1000), -XEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(timeout_rules),
		cmocka_unit_test_setup_teardown(ticking_keeps_the_domain_alive, setup, teardown),
		cmocka_unit_test_setup_teardown(stalled_cpu_stops_the_pokes, setup4, teardown),
		cmocka_unit_test_setup_teardown(poke_needs_every_cpu, setup4, teardown),
		cmocka_unit_test_setup_teardown(stop_destroys_xen_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(start_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(start_twice_and_poke_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_arms_a_new_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(cpu_timers, setup4, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
