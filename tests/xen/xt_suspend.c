/*
 * Suite "suspend": xl save + xl restore, three cycles, driven by dom0
 * (tests/xen/dom0/run.sh), through the core: the toolstack's
 * control/shutdown = "suspend" is handled by shutdown_handle (which
 * acknowledges, then calls our suspend), the store client is suspended and
 * resumed (store_suspend / store_resume), event channels resumed
 * (evtchn_resume) and the shared info mapped again. After each restore (a
 * new domain) memory, time, hypercalls, xenstore and a watch registered
 * before the first suspend must work.
 *   data/xt-ready    guest -> dom0: cycle number, waiting to be saved
 */
#include "shutdown.h"
#include "xt_env.h"

#define CYCLES 3

static volatile uint64_t canary = 0x5a5a1234abcdull;
static long suspend_rc;

static xen_status ops_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	char *v = NULL;
	uint32_t l = 0;
	xen_status rc = store_read(ctx, NULL, NULL, node, &v, &l);

	if (rc == XEN_OK) {
		size_t n = l < size - 1 ? l : size - 1;

		__builtin_memcpy(buf, v, n);
		buf[n] = 0;
		*len = l;
	}
	store_free(v);
	return rc;
}

static xen_status ops_write(void *ctx, const char *node, const char *value)
{
	return store_write_str(ctx, NULL, NULL, node, value);
}

static xen_status ops_suspend(void *ctx)
{
	struct sched_shutdown sd = { .reason = SHUTDOWN_suspend };
	xen_status rc;

	store_suspend(ctx);
	guest_irq_disable();
	suspend_rc = hypercall_sched_op(SCHEDOP_shutdown, &sd);
	/* Running again: in the restored domain (0), or cancelled (1). */
	guest_resume();
	rc = evtchn_resume();
	guest_irq_enable();
	if (!rc)
		rc = xt_store_resume();
	return rc;
}

XT_SCENARIO(suspend, save_restore_cycles)
{
	struct store *s = xt_store();
	struct shutdown_ops ops = {
		.read = ops_read, .write = ops_write, .suspend = ops_suspend,
	};
	struct store_watch *w = NULL;
	os_event watch_ev;
	unsigned cycle;

	XT_CHECK(s != NULL);
	ops.ctx = s;
	os_event_init(&watch_ev);
	XT_CHECK_OK(store_watch_add(s, NULL, "data/xt-resume-watch", NULL, NULL, &watch_ev, &w));
	XT_CHECK(xt_wait(&watch_ev, 5000));
	for (cycle = 1; cycle <= CYCLES; cycle++) {
		enum shutdown_action seen = SHUTDOWN_ACTION_NONE;
		uint64_t deadline, t0, t1;
		char *name = NULL, want[64];
		uint32_t len;
		os_event tick;

		os_event_init(&tick);
		XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-ready", "%u", cycle));
		deadline = os_time_ns() + 30000ull * 1000 * 1000;
		t0 = os_time_ns();
		os_event_reset(&watch_ev);
		while (seen != SHUTDOWN_ACTION_SUSPEND && os_time_ns() < deadline) {
			XT_CHECK_OK(shutdown_handle(&ops, &seen));
			if (seen != SHUTDOWN_ACTION_SUSPEND)
				xt_wait(&tick, 20);
		}
		XT_CHECK_EQ(seen, SHUTDOWN_ACTION_SUSPEND);
		XT_CHECK_EQ(suspend_rc, 0);
		t1 = os_time_ns();
		XT_CHECK(canary == 0x5a5a1234abcdull);
		XT_CHECK(hypercall_xen_version(XENVER_version, NULL) > 0);
		XT_CHECK_OK(store_read(s, NULL, NULL, "name", &name, &len));
		XT_CHECK(guest_cmdline_get("name", want, sizeof(want)) != NULL);
		XT_CHECK(__builtin_strcmp(name, want) == 0);
		store_free(name);
		/* The re-registered watch fires once after the resume. */
		XT_CHECK(xt_wait(&watch_ev, 10000));
		xt_note("cycle %u: resumed (ABI %s), time %lu -> %lu ms", cycle,
			evtchn_abi_name(evtchn_abi()), (unsigned long)(t0 / 1000000),
			(unsigned long)(t1 / 1000000));
	}
	XT_CHECK_OK(store_watch_remove(s, w));
	/* Time keeps going after the last resume. */
	{
		uint64_t a = os_time_ns();

		os_delay_ns(10 * 1000 * 1000);
		XT_CHECK(os_time_ns() >= a + 10 * 1000 * 1000);
	}
}
