/*
 * Suite "suspend": xl save + xl restore, three cycles, driven by dom0
 * (tests/xen/dom0/run.sh). The guest answers the toolstack's
 * control/shutdown = "suspend" request, suspends with SCHEDOP_shutdown, and
 * after each restore (a new domain) checks that its memory, time, the
 * hypercall page and xenstore work again.
 *   data/xt-ready    guest -> dom0: cycle number, waiting to be saved
 */
#include "xt_xs.h"

#define CYCLES 3


static volatile uint64_t canary = 0x5a5a1234abcdull;

/* Wait for the toolstack's suspend request and acknowledge it. */
static int wait_suspend_request(uint64_t timeout_ms)
{
	uint64_t deadline = os_time_ns() + timeout_ms * 1000 * 1000;
	char v[32];

	while (os_time_ns() < deadline) {
		if (xt_xs_read("control/shutdown", v, sizeof(v)) == 0 &&
		    __builtin_strcmp(v, "suspend") == 0)
			return xt_xs_write("control/shutdown", "");
		guest_irq_disable();
		guest_halt_until(os_time_ns() + 10 * 1000 * 1000);
	}
	return -XEN_ETIMEDOUT;
}

XT_SCENARIO(suspend, save_restore_cycles)
{
	unsigned cycle;

	for (cycle = 1; cycle <= CYCLES; cycle++) {
		struct sched_shutdown sd = { .reason = SHUTDOWN_suspend };
		char v[16], name[64], want[64];
		uint64_t t0, t1;
		long rc;

		guest_snprintf(v, sizeof(v), "%u", cycle);
		XT_CHECK_OK(xt_xs_write("data/xt-ready", v));
		XT_CHECK_OK(wait_suspend_request(30000));
		t0 = os_time_ns();
		guest_irq_disable();
		rc = hypercall_sched_op(SCHEDOP_shutdown, &sd);
		/* Running again: in the restored domain (0), or cancelled (1). */
		guest_resume();
		guest_irq_enable();
		XT_CHECK_EQ(rc, 0);
		t1 = os_time_ns();
		XT_CHECK(t1 > 0);
		XT_CHECK(canary == 0x5a5a1234abcdull);
		XT_CHECK(hypercall_xen_version(XENVER_version, NULL) > 0);
		XT_CHECK(guest_shared_info()->vcpu_info[0].time.tsc_to_system_mul != 0);
		XT_CHECK_OK(xt_xs_read("name", name, sizeof(name)));
		XT_CHECK(guest_cmdline_get("name", want, sizeof(want)) != NULL);
		XT_CHECK(__builtin_strcmp(name, want) == 0);
		xt_note("cycle %u: resumed, time %lu -> %lu ms", cycle,
			(unsigned long)(t0 / 1000000), (unsigned long)(t1 / 1000000));
	}
	/* Time keeps going after the last resume. */
	{
		uint64_t a = os_time_ns();

		os_delay_ns(10 * 1000 * 1000);
		XT_CHECK(os_time_ns() >= a + 10 * 1000 * 1000);
	}
}
