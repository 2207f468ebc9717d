/*
 * Suites "watchdog_pat" and "watchdog_expire": the core's watchdog
 * (watchdog.h) on the real hypervisor, plus the raw SCHEDOP_watchdog
 * contract. The verdict of "expire" is dom0's: Xen must shut the domain
 * down with reason SHUTDOWN_watchdog (tests/xen/dom0/run.sh reads it from
 * xl), so inside the guest that scenario only fails if it survives.
 */
#include "watchdog.h"
#include "xt.h"

static long raw_watchdog(uint32_t id, uint32_t timeout_s)
{
	struct sched_watchdog wd = { .id = id, .timeout = timeout_s };

	return hypercall_sched_op(SCHEDOP_watchdog, &wd);
}

static void sleep_ms(uint64_t ms)
{
	os_event never;

	os_event_init(&never);
	os_event_wait(&never, ms * 1000 * 1000);
}

XT_SCENARIO(watchdog_pat, raw_contract)
{
	long id = raw_watchdog(0, 2);

	XT_CHECK_OK(id);
	XT_CHECK(id > 0);
	sleep_ms(1000);
	XT_CHECK_OK(raw_watchdog((uint32_t)id, 2));
	/* Patting an id that does not exist is refused. */
	XT_CHECK(raw_watchdog((uint32_t)id + 1, 2) < 0);
	XT_CHECK_OK(raw_watchdog((uint32_t)id, 0)); /* disarm */
	XT_CHECK(raw_watchdog((uint32_t)id, 2) < 0); /* gone */
}

XT_SCENARIO(watchdog_pat, core_ticked_survives)
{
	struct watchdog wd;
	unsigned i;

	watchdog_init(&wd);
	XT_CHECK_OK(watchdog_start(&wd, 1, 1)); /* raised to the 10 s minimum */
	XT_CHECK_EQ(wd.timeout_s, WATCHDOG_MIN_S);
	/* One CPU: each tick pokes. Tick every 2 s for 12 s, past the
	 * timeout: Xen must not reset us. */
	for (i = 0; i < 6; i++) {
		sleep_ms(2000);
		XT_CHECK_OK(watchdog_tick(&wd, 0));
	}
	XT_CHECK(wd.pokes >= 6);
	XT_CHECK_EQ(wd.poke_errors, 0);
	XT_CHECK_EQ(watchdog_tick(&wd, 1), -XEN_ERANGE);
	XT_CHECK_OK(watchdog_stop(&wd));
}

XT_SCENARIO(watchdog_expire, core_unticked_is_reset)
{
	struct watchdog wd;

	watchdog_init(&wd);
	XT_CHECK_OK(watchdog_start(&wd, WATCHDOG_MIN_S, 1));
	guest_printf("XT WATCHDOG-ARMED id %u timeout %u s\n", wd.id, wd.timeout_s);
	sleep_ms(20000);
	xt_fail(__FILE__, __LINE__, "still running 20 s after a %u s watchdog was armed",
		wd.timeout_s);
}
