/*
 * Suites "watchdog_pat" and "watchdog_expire": SCHEDOP_watchdog on the real
 * hypervisor. The verdict of "expire" is dom0's: Xen must shut the domain
 * down with reason SHUTDOWN_watchdog (tests/xen/dom0/run.sh reads it from
 * xl), so inside the guest the scenario only fails if it survives.
 */
#include "xt.h"

static long watchdog(uint32_t id, uint32_t timeout_s)
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

XT_SCENARIO(watchdog_pat, patted_survives)
{
	long id = watchdog(0, 2);
	unsigned i;

	XT_CHECK_OK(id);
	XT_CHECK(id > 0);
	/* Pat every 0.5 s for 5 s: more than twice the timeout. */
	for (i = 0; i < 10; i++) {
		sleep_ms(500);
		XT_CHECK_OK(watchdog((uint32_t)id, 2));
	}
	/* Patting an id that does not exist is refused. */
	XT_CHECK(watchdog((uint32_t)id + 1, 2) < 0);
	XT_CHECK_OK(watchdog((uint32_t)id, 0)); /* disarm */
	XT_CHECK(watchdog((uint32_t)id, 2) < 0); /* gone */
}

XT_SCENARIO(watchdog_expire, unpatted_is_reset)
{
	long id = watchdog(0, 1);

	XT_CHECK_OK(id);
	guest_printf("XT WATCHDOG-ARMED id %ld timeout 1 s\n", id);
	sleep_ms(8000);
	xt_fail(__FILE__, __LINE__, "still running 8 s after a 1 s watchdog expired");
}
