/*
 * Suite "evtchn": the core's event channels on the real hypervisor, run
 * twice by dom0: FIFO (default) and 2-level (abi=2l on the command line).
 * Loopback and IPI channels, VIRQ_TIMER from a single-shot timer, and an
 * interdomain channel dom0 echoes (xt-dom0 echo; port in data/xt-echo-port).
 */
#include "xt_env.h"
#include <xen/vcpu.h>

struct counter {
	volatile uint32_t hits;
	os_event ev;
};

static bool count_cb(void *arg)
{
	struct counter *c = arg;

	c->hits++;
	os_event_set(&c->ev);
	return true;
}

static void counter_init(struct counter *c)
{
	c->hits = 0;
	os_event_init(&c->ev);
}

XT_SCENARIO(evtchn, abi_selected)
{
	char want[8];
	bool two_level = guest_cmdline_get("abi", want, sizeof(want)) &&
			 __builtin_strcmp(want, "2l") == 0;

	XT_CHECK_OK(xt_evtchn_up());
	XT_CHECK_EQ(evtchn_abi(), two_level ? EVTCHN_ABI_2LEVEL : EVTCHN_ABI_FIFO);
	xt_note("ABI %s", evtchn_abi_name(evtchn_abi()));
}

XT_SCENARIO(evtchn, loopback_pair)
{
	struct evtchn_channel *a = NULL, *b = NULL;
	struct counter ca, cb;
	unsigned i;

	counter_init(&ca);
	counter_init(&cb);
	XT_CHECK_OK(xt_evtchn_up());
	XT_CHECK_OK(evtchn_open_unbound(DOMID_SELF, false, count_cb, &ca, &a));
	XT_CHECK_OK(evtchn_open_interdomain(DOMID_SELF, evtchn_port(a), false, count_cb, &cb, &b));
	evtchn_unmask(a, false, false);
	evtchn_unmask(b, false, false);
	for (i = 0; i < 5; i++) {
		os_event_reset(&cb.ev);
		XT_CHECK_OK(evtchn_send(a));
		XT_CHECK(xt_wait(&cb.ev, 2000));
		os_event_reset(&ca.ev);
		XT_CHECK_OK(evtchn_send(b));
		XT_CHECK(xt_wait(&ca.ev, 2000));
	}
	XT_CHECK(ca.hits >= 5 && cb.hits >= 5);
	XT_CHECK(evtchn_count(b) >= 5);
	evtchn_close(a);
	evtchn_close(b);
}

XT_SCENARIO(evtchn, ipi_self)
{
	struct evtchn_channel *ch = NULL;
	struct counter c;

	counter_init(&c);
	XT_CHECK_OK(xt_evtchn_up());
	XT_CHECK_OK(evtchn_open_ipi(0, count_cb, &c, &ch));
	evtchn_unmask(ch, false, false);
	XT_CHECK_OK(evtchn_send(ch));
	XT_CHECK(xt_wait(&c.ev, 2000));
	XT_CHECK_EQ(c.hits, 1);
	evtchn_close(ch);
}

XT_SCENARIO(evtchn, virq_timer)
{
	struct evtchn_channel *ch = NULL;
	struct counter c;
	unsigned i, early = 0;
	uint64_t lat, worst = 0;

	counter_init(&c);
	XT_CHECK_OK(xt_evtchn_up());
	/* Only our single-shot timer raises VIRQ_TIMER from here on. */
	XT_CHECK_OK(hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	XT_CHECK_OK(evtchn_open_virq(VIRQ_TIMER, 0, count_cb, &c, &ch));
	evtchn_unmask(ch, false, false);
	for (i = 0; i < 5; i++) {
		uint64_t t0 = os_time_ns(), due = t0 + 20 * 1000 * 1000;
		struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = due };

		os_event_reset(&c.ev);
		XT_CHECK_OK(hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t));
		if (!xt_wait(&c.ev, 2000)) {
			struct shared_info *si = guest_shared_info();
			unsigned port = evtchn_port(ch);
			unsigned bits = sizeof(xen_ulong_t) * 8;
			struct evtchn_stats st;

			evtchn_get_stats(&st);
			xt_fail(__FILE__, __LINE__,
				"timer %u: no VIRQ_TIMER in 2 s (hits %u, port %u, 2L pending %d mask %d "
				"sel %lx upcall %u, events %lu unbound %lu)", i, c.hits, port,
				(int)((si->evtchn_pending[port / bits] >> (port % bits)) & 1),
				(int)((si->evtchn_mask[port / bits] >> (port % bits)) & 1),
				(unsigned long)si->vcpu_info[0].evtchn_pending_sel,
				si->vcpu_info[0].evtchn_upcall_pending, st.events, st.unbound);
			return;
		}
		/* How late after the deadline it came, by our clock (which
		 * extrapolates the TSC between Xen's updates, so it is only
		 * reported, not judged). */
		lat = os_time_ns() - due;
		if ((int64_t)lat < 0)
			early++;
		else if (lat > worst)
			worst = lat;
	}
	XT_CHECK(c.hits >= 5);
	xt_note("%u VIRQ_TIMER events on port %u, %u seen before the deadline by our clock, "
		"latest %lu us after it", c.hits, evtchn_port(ch), early,
		(unsigned long)(worst / 1000));
	evtchn_close(ch);
}

XT_SCENARIO(evtchn, interdomain_dom0_echo)
{
	struct evtchn_channel *ch = NULL;
	struct store *s;
	struct counter c;
	unsigned i;

	counter_init(&c);
	s = xt_store();
	XT_CHECK(s != NULL);
	XT_CHECK_OK(evtchn_open_unbound(0, false, count_cb, &c, &ch));
	evtchn_unmask(ch, false, false);
	XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-echo-port", "%u", evtchn_port(ch)));
	/* Wait for dom0 to bind and drain (tests/xen/dom0/run.sh). */
	{
		uint64_t deadline = os_time_ns() + 20000ull * 1000 * 1000;
		os_event never;
		char *v = NULL;
		uint32_t len;
		bool ready = false;

		os_event_init(&never);
		while (!ready && os_time_ns() < deadline) {
			if (store_read(s, NULL, NULL, "data/xt-echo-ready", &v, &len) == XEN_OK)
				ready = true;
			store_free(v);
			v = NULL;
			if (!ready)
				xt_wait(&never, 20);
		}
		XT_CHECK(ready);
	}
	c.hits = 0;
	for (i = 0; i < 10; i++) {
		os_event_reset(&c.ev);
		XT_CHECK_OK(evtchn_send(ch));
		if (!xt_wait(&c.ev, 15000)) {
			struct evtchn_stats st;

			evtchn_get_stats(&st);
			xt_fail(__FILE__, __LINE__,
				"no echo for event %u (%u callbacks, count %u, events %lu unbound %lu)",
				i, c.hits, evtchn_count(ch), st.events, st.unbound);
			return;
		}
	}
	xt_note("10 events echoed by dom0 through the %s ABI", evtchn_abi_name(evtchn_abi()));
	evtchn_close(ch);
}
