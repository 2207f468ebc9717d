/* Event channels against the model: both ABIs, fallback, masking, per-vCPU
 * binding, deferred close/trigger, resume. Untrusted values and failures:
 * test_evtchn_hostile.c. */
#include "evtchn_cases.h"

/* ---- ABI selection ---- */

static void fifo_is_chosen_when_offered(void **state)
{
	(void)state;
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_FIFO);
	assert_true(sim_evtchn_fifo_active());
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control), 4);
	assert_int_equal(sim_evtchn_fifo_array_pages(), 1);
}

static void fifo_refused_falls_back_to_2level(void **state)
{
	struct rec r = { 0 };

	(void)state;
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_2LEVEL);
	assert_false(sim_evtchn_fifo_active());
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control), 1);
	open_peer(&r, false);
	evtchn_unmask(r.ch, false, true);
	sim_deliver();
	r.calls = 0;
	assert_true(sim_evtchn_remote_send(evtchn_port(r.ch)));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	evtchn_close(r.ch);
}

static void forced_2level_never_asks_for_fifo(void **state)
{
	(void)state;
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_2LEVEL);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control), 0);
	assert_string_equal(evtchn_abi_name(evtchn_abi()), "2-level");
}

static void fifo_failing_on_a_later_vcpu_resets_to_2level(void **state)
{
	const struct evtchn_fixture_opts o = { .vcpus = 4 };
	struct sim_config cfg = { .vcpus = 4, .domid = 1 };
	uint32_t r[4];

	(void)state;
	sim_init(&cfg);
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(shared_info_init(), XEN_OK);
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control, XEN_ENOMEM, 2, 1);
	assert_int_equal(evtchn_init(), XEN_OK);
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_2LEVEL);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_reset), 1);
	assert_false(sim_evtchn_fifo_active());
	(void)o;
	evtchn_fixture_down();
}

static void init_needs_shared_info(void **state)
{
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_EPERM, 0, 1);
	assert_int_equal(shared_info_init(), -XEN_EPERM);
	assert_null(shared_info_get());
	assert_int_equal(evtchn_init(), -XEN_ENODEV);
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_NONE);
	evtchn_fixture_down();
}

/* ---- delivery ---- */

static void one_port_delivers_each_event_once(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;

	(void)state;
	ch = open_peer(&r, false);
	assert_true(evtchn_active(ch));
	/* Opened masked: the remote's event waits. */
	assert_true(sim_evtchn_remote_send(evtchn_port(ch)));
	sim_deliver();
	assert_int_equal(r.calls, 0);
	assert_false(evtchn_unmask(ch, false, true));	/* forced: Xen re-delivers */
	sim_deliver();
	assert_int_equal(r.calls, 1);
	assert_int_equal(evtchn_count(ch), 1);
	assert_int_equal(r.cpu, 0);
	sim_deliver();
	assert_int_equal(r.calls, 1);
	for (unsigned i = 0; i < 5; i++) {
		assert_true(sim_evtchn_remote_send(evtchn_port(ch)));
		sim_deliver();
	}
	assert_int_equal(r.calls, 6);
	assert_int_equal(evtchn_count(ch), 6);
	/* Two sends before one upcall: one event (edge-coalesced). */
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 7);
	/* Send reaches the remote end. */
	assert_int_equal(evtchn_send(ch), XEN_OK);
	assert_int_equal(sim_evtchn_remote_received(evtchn_port(ch)), 1);
	evtchn_close(ch);
}

static void many_ports_each_delivered_once(void **state)
{
	static struct rec recs[MANY];
	static struct evtchn_channel *chs[MANY];
	const struct evtchn_fixture_opts *o = *state;
	unsigned n = o->force_2level ? SHARED_INFO_2L_PORTS - 1 : MANY, i;
	struct evtchn_channel *extra = NULL;
	struct evtchn_stats st;

	memset(recs, 0, sizeof(recs));
	for (i = 0; i < n; i++) {
		chs[i] = open_peer(&recs[i], false);
		assert_false(evtchn_unmask(chs[i], false, true));
	}
	if (o->force_2level) {
		/* The 2-level ABI has no port 4096 (port 0 is reserved). */
		assert_int_equal(evtchn_open_unbound(REMOTE, false, record, NULL, &extra),
				 -XEN_ENOSPC);
		assert_null(extra);
	} else {
		assert_int_equal(sim_evtchn_fifo_array_pages(), MANY / 1024 + 1);
	}
	sim_deliver();
	for (i = 0; i < n; i++)
		assert_int_equal(recs[i].calls, 0);
	/* Reverse order, all in one upcall. */
	for (i = n; i-- > 0;)
		assert_true(sim_evtchn_remote_send(evtchn_port(chs[i])));
	assert_int_equal(sim_deliver(), 1);
	for (i = 0; i < n; i++)
		assert_int_equal(recs[i].calls, 1);
	/* Every other one, one upcall each. */
	for (i = 0; i < n; i += 2) {
		sim_evtchn_remote_send(evtchn_port(chs[i]));
		sim_deliver();
	}
	for (i = 0; i < n; i++)
		assert_int_equal(recs[i].calls, i % 2 ? 1 : 2);
	evtchn_get_stats(&st);
	assert_int_equal(st.unbound, 0);
	assert_int_equal(st.bad_port, 0);
	for (i = 0; i < n; i++)
		evtchn_close(chs[i]);
	host_run_work();
	assert_int_equal(sim_evtchn_ports_in_use(), 0);
}

static void masked_events_wait_for_unmask(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;

	(void)state;
	ch = open_peer(&r, false);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	r.calls = 0;
	evtchn_mask(ch);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 0);
	/* Not forced, same CPU: "still pending, poll again", acked, no callback. */
	assert_true(evtchn_unmask(ch, false, false));
	sim_deliver();
	assert_int_equal(r.calls, 0);
	/* Acked and unmasked: the next event arrives normally. */
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	/* Masked again, then a forced unmask: Xen re-delivers. */
	evtchn_mask(ch);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	assert_false(evtchn_unmask(ch, false, true));
	sim_deliver();
	assert_int_equal(r.calls, 2);
	/* Nothing pending: plain unmask returns false. */
	assert_false(evtchn_unmask(ch, false, false));
	evtchn_close(ch);
}

static void mask_on_callback_until_unmasked_in_callback(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;

	(void)state;
	ch = open_peer(&r, true);
	evtchn_unmask(ch, false, true);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	/* Auto-masked: further events wait. */
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	/* The callback unmasks itself from now on; the waiting event comes
	 * back through Xen. */
	r.unmask_in_cb = true;
	assert_false(evtchn_unmask(ch, true, false));
	sim_deliver();
	assert_int_equal(r.calls, 2);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 3);
	evtchn_close(ch);
}

static void upcall_mask_holds_delivery(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;
	struct vcpu_info *vi = shared_info_vcpu(0);

	(void)state;
	ch = open_peer(&r, false);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	r.calls = 0;
	vi->evtchn_upcall_mask = 1;
	sim_evtchn_remote_send(evtchn_port(ch));
	assert_int_equal(sim_deliver(), 0);
	assert_int_equal(r.calls, 0);
	vi->evtchn_upcall_mask = 0;
	assert_int_equal(sim_deliver(), 1);
	assert_int_equal(r.calls, 1);
	evtchn_close(ch);
}

static void priorities_order_fifo_delivery(void **state)
{
	struct rec lo = { 0 }, hi = { 0 };
	struct evtchn_channel *a = open_peer(&lo, false), *b = open_peer(&hi, false);

	(void)state;
	assert_int_equal(evtchn_set_priority(a, 9), XEN_OK);
	assert_int_equal(evtchn_set_priority(b, 2), XEN_OK);
	assert_int_equal(sim_evtchn_priority(evtchn_port(b)), 2);
	assert_int_equal(evtchn_set_priority(b, 16), -XEN_EINVAL);
	evtchn_unmask(a, false, true);
	evtchn_unmask(b, false, true);
	sim_deliver();
	sim_evtchn_remote_send(evtchn_port(a));
	sim_evtchn_remote_send(evtchn_port(b));
	sim_deliver();
	assert_int_equal(lo.calls, 1);
	assert_int_equal(hi.calls, 1);
	assert_true(hi.order < lo.order);
	evtchn_close(a);
	evtchn_close(b);
}

static void priority_needs_fifo(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = open_peer(&r, false);

	(void)state;
	assert_int_equal(evtchn_set_priority(ch, 3), -XEN_ENOSYS);
	evtchn_close(ch);
}

static void loopback_interdomain(void **state)
{
	struct rec ra = { 0 }, rb = { 0 };
	struct evtchn_channel *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(evtchn_open_unbound(DOMID_SELF, false, record, &ra, &a), XEN_OK);
	assert_int_equal(evtchn_open_interdomain(DOMID_SELF, evtchn_port(a), false, record, &rb,
						 &b), XEN_OK);
	evtchn_unmask(a, false, true);
	evtchn_unmask(b, false, true);
	sim_deliver();
	ra.calls = rb.calls = 0;
	assert_int_equal(evtchn_send(a), XEN_OK);
	sim_deliver();
	assert_int_equal(rb.calls, 1);
	assert_int_equal(ra.calls, 0);
	assert_int_equal(evtchn_send(b), XEN_OK);
	sim_deliver();
	assert_int_equal(ra.calls, 1);
	evtchn_close(a);
	evtchn_close(b);
}

static struct evtchn_channel *relay_to;

static bool relay(void *arg)
{
	record(arg);
	evtchn_send(relay_to);
	return true;
}

/* An event raised while the upcall runs (here by a callback) is delivered
 * by the same upcall, after the current one. */
static void events_raised_in_callbacks_arrive_in_same_upcall(void **state)
{
	struct rec ra = { 0 }, rb = { 0 };
	struct evtchn_channel *a = NULL, *b = NULL;

	(void)state;
	assert_int_equal(evtchn_open_unbound(DOMID_SELF, false, relay, &ra, &a), XEN_OK);
	assert_int_equal(evtchn_open_interdomain(DOMID_SELF, evtchn_port(a), false, record, &rb,
						 &b), XEN_OK);
	relay_to = a;	/* a's callback sends on a: b hears it */
	evtchn_unmask(a, false, false);
	evtchn_unmask(b, false, false);
	ra.calls = rb.calls = 0;
	evtchn_send(b);
	assert_int_equal(sim_deliver(), 1);
	assert_int_equal(ra.calls, 1);
	assert_int_equal(rb.calls, 1);
	assert_true(ra.order < rb.order);
	/* The re-raised upcall may run again (as a real one would): empty. */
	sim_deliver();
	assert_int_equal(ra.calls + rb.calls, 2);
	evtchn_close(a);
	evtchn_close(b);
}

/* ---- per-vCPU binding ---- */

static void bound_vcpu_receives(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;
	unsigned cpu;

	(void)state;
	ch = open_peer(&r, false);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	for (cpu = 0; cpu < 4; cpu++) {
		unsigned before = r.calls;

		assert_int_equal(evtchn_bind_cpu(ch, cpu), XEN_OK);
		assert_int_equal(evtchn_cpu(ch), cpu);
		assert_int_equal(sim_evtchn_vcpu(evtchn_port(ch)), cpu);
		sim_evtchn_remote_send(evtchn_port(ch));
		sim_deliver();
		assert_int_equal(r.calls, before + 1);
		assert_int_equal(r.cpu, cpu);
	}
	/* An event that waited, masked, during the move arrives on the new vCPU. */
	evtchn_mask(ch);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(evtchn_bind_cpu(ch, 1), XEN_OK);
	assert_false(evtchn_unmask(ch, false, true));
	sim_deliver();
	assert_int_equal(r.calls, 5);
	assert_int_equal(r.cpu, 1);
	/* One raised but not yet taken when the channel moves: still exactly
	 * once (2-level: re-delivered to the new vCPU; FIFO: already queued). */
	sim_evtchn_remote_send(evtchn_port(ch));
	assert_int_equal(evtchn_bind_cpu(ch, 2), XEN_OK);
	sim_deliver();
	sim_deliver();
	assert_int_equal(r.calls, 6);
	evtchn_close(ch);
}

static void ipi_and_virq_on_their_vcpu(void **state)
{
	struct rec ri = { 0 }, rt = { 0 }, rg = { 0 };
	struct evtchn_channel *ipi = NULL, *timer = NULL, *glob = NULL;

	(void)state;
	assert_int_equal(evtchn_open_ipi(3, record, &ri, &ipi), XEN_OK);
	assert_int_equal(evtchn_open_virq(VIRQ_TIMER, 1, record, &rt, &timer), XEN_OK);
	assert_int_equal(evtchn_open_virq(VIRQ_ARGO, 2, record, &rg, &glob), XEN_OK);
	assert_int_equal(sim_evtchn_vcpu(evtchn_port(glob)), 2);
	assert_int_equal(sim_evtchn_status(evtchn_port(ipi)), EVTCHNSTAT_ipi);
	evtchn_unmask(ipi, false, true);
	evtchn_unmask(timer, false, true);
	evtchn_unmask(glob, false, true);
	assert_int_equal(evtchn_send(ipi), XEN_OK);
	assert_true(sim_evtchn_raise_virq(VIRQ_TIMER, 1));
	assert_false(sim_evtchn_raise_virq(VIRQ_TIMER, 0));
	assert_true(sim_evtchn_raise_virq(VIRQ_ARGO, 0));
	sim_deliver();
	assert_int_equal(ri.calls, 1);
	assert_int_equal(ri.cpu, 3);
	assert_int_equal(rt.calls, 1);
	assert_int_equal(rt.cpu, 1);
	assert_int_equal(rg.calls, 1);
	assert_int_equal(rg.cpu, 2);
	/* IPIs and per-vCPU VIRQs stay where they are. */
	assert_int_equal(evtchn_bind_cpu(ipi, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_cpu(timer, 0), -XEN_EINVAL);
	assert_int_equal(evtchn_bind_cpu(glob, 0), XEN_OK);
	evtchn_close(ipi);
	evtchn_close(timer);
	evtchn_close(glob);
}

static void vcpus_without_upcall_are_refused(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch, *ipi = NULL;

	(void)state;
	ch = open_peer(&r, false);
	evtchn_cpu_upcall_available(2, false);
	assert_int_equal(evtchn_bind_cpu(ch, 2), -XEN_EOPNOTSUPP);
	assert_int_equal(evtchn_bind_cpu(ch, 9), -XEN_EOPNOTSUPP);
	assert_int_equal(evtchn_open_ipi(2, record, &r, &ipi), -XEN_EOPNOTSUPP);
	assert_null(ipi);
	assert_int_equal(evtchn_bind_cpu(ch, 0), XEN_OK);	/* already there */
	evtchn_close(ch);
}

/* ---- close, trigger, resume ---- */

static void close_is_deferred_and_final(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch;
	evtchn_port_t port;
	unsigned long closes;

	(void)state;
	ch = open_peer(&r, false);
	port = evtchn_port(ch);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	r.calls = 0;
	closes = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close);
	evtchn_close(ch);
	/* Out of the table at once; Xen's port closes in deferred work. */
	sim_evtchn_remote_send(port);
	sim_deliver();
	assert_int_equal(r.calls, 0);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close), closes);
	assert_int_equal(host_run_work(), 1);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close), closes + 1);
	assert_int_equal(sim_evtchn_status(port), EVTCHNSTAT_closed);
	/* Closing from inside the callback. */
	ch = open_peer(&r, false);
	r.close_in_cb = true;
	evtchn_unmask(ch, false, true);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	assert_null(r.ch);
	host_run_work();
	assert_int_equal(sim_evtchn_ports_in_use(), 0);
}

static void fixed_close_leaves_xen_port(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *owner = open_peer(&r, false), *fixed = NULL, *dup = NULL;
	evtchn_port_t port = evtchn_port(owner);

	(void)state;
	/* The port must be free in the core's table to wrap it. */
	assert_int_equal(evtchn_open_fixed(port, false, record, &r, &dup), -XEN_EEXIST);
	assert_null(dup);
	evtchn_close(owner);
	/* (the deferred EVTCHNOP_close has not run yet: Xen still has it) */
	assert_int_equal(evtchn_open_fixed(port, false, record, &r, &fixed), XEN_OK);
	assert_int_equal(evtchn_open_fixed(0, false, record, &r, &dup), -XEN_EINVAL);
	host_run_work();
	assert_int_equal(sim_evtchn_status(port), EVTCHNSTAT_closed);
	evtchn_close(fixed);
	host_run_work();
	r.calls = 0;
	/* A FIXED channel does not close its port in Xen. */
	{
		unsigned long closes = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close);
		struct evtchn_channel *f2 = NULL;
		struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = REMOTE };

		assert_int_equal(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
		assert_int_equal(evtchn_open_fixed(op.port, false, record, &r, &f2), XEN_OK);
		evtchn_close(f2);
		host_run_work();
		assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close), closes);
		assert_int_equal(sim_evtchn_status(op.port), EVTCHNSTAT_unbound);
	}
}

static void trigger_runs_callback_from_work(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = open_peer(&r, true);

	(void)state;
	evtchn_trigger(ch);
	evtchn_trigger(ch);
	assert_int_equal(r.calls, 0);
	assert_int_equal(host_run_work(), 1);
	assert_int_equal(r.calls, 1);
	assert_int_equal(evtchn_count(ch), 1);
	/* Trigger then close before the work runs: no callback, just the free. */
	evtchn_trigger(ch);
	evtchn_close(ch);
	host_run_work();
	assert_int_equal(r.calls, 1);
	assert_int_equal(sim_evtchn_ports_in_use(), 0);
}

static void resume_makes_channels_inactive(void **state)
{
	const struct evtchn_fixture_opts *o = *state;
	struct rec r = { 0 }, r2 = { 0 };
	struct evtchn_channel *ch, *fresh;
	struct evtchn_reset reset = { .dom = DOMID_SELF };
	unsigned long sends, closes;

	ch = open_peer(&r, false);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	/* Xen forgets everything across the suspend. */
	assert_int_equal(hypercall_event_channel_op(EVTCHNOP_reset, &reset), 0);
	assert_int_equal(evtchn_resume(), XEN_OK);
	assert_int_equal(evtchn_abi(), want_abi(o));
	assert_false(evtchn_active(ch));
	sends = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_send);
	assert_int_equal(evtchn_send(ch), XEN_OK);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_send), sends);
	assert_false(evtchn_unmask(ch, false, true));
	assert_int_equal(evtchn_bind_cpu(ch, 0), XEN_OK);
	/* The owner re-opens: it may get the same port number. */
	fresh = open_peer(&r2, false);
	evtchn_unmask(fresh, false, true);
	sim_deliver();
	r.calls = r2.calls = 0;
	sim_evtchn_remote_send(evtchn_port(fresh));
	sim_deliver();
	assert_int_equal(r2.calls, 1);
	assert_int_equal(r.calls, 0);
	closes = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close);
	evtchn_close(ch);
	host_run_work();
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close), closes);
	assert_int_equal(sim_evtchn_status(evtchn_port(fresh)), EVTCHNSTAT_interdomain);
	evtchn_close(fresh);
}

static void wait_counts_events(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = open_peer(&r, false);

	(void)state;
	evtchn_unmask(ch, false, true);
	host_time_virtual(true);
	assert_int_equal(evtchn_wait(ch, 0, 0), XEN_OK);
	assert_int_equal(evtchn_wait(ch, 1, 0), -XEN_ETIMEDOUT);
	assert_int_equal(evtchn_wait(ch, 1, 5000000), -XEN_ETIMEDOUT);
	/* The remote end answers; the wait's polling lets the upcall run. */
	sim_evtchn_remote_send(evtchn_port(ch));
	assert_int_equal(evtchn_wait(ch, 1, UINT64_MAX), XEN_OK);
	assert_int_equal(r.calls, 1);
	/* Echo: our send comes back as an event. */
	sim_evtchn_remote_echo(evtchn_port(ch), true);
	assert_int_equal(evtchn_send(ch), XEN_OK);
	assert_int_equal(evtchn_wait(ch, evtchn_count(ch) + 1, 1000000000), XEN_OK);
	assert_int_equal(r.calls, 2);
	assert_int_equal(sim_evtchn_remote_received(evtchn_port(ch)), 1);
	host_time_virtual(false);
	evtchn_close(ch);
}

/* ---- EVTCHNOP_reset ---- */

static uint64_t params[HVM_NR_PARAMS];

static long fake_get_param(const uintptr_t args[5])
{
	struct xen_hvm_param *p = (void *)args[1];

	if (p->index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	p->value = params[p->index];
	return 0;
}

static long fake_set_param(const uintptr_t args[5])
{
	struct xen_hvm_param *p = (void *)args[1];

	if (p->index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	params[p->index] = p->value;
	return 0;
}

/* What the toolstack leaves: xenstore connected to dom0, console unbound. */
static void toolstack_ports(void)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = REMOTE };

	memset(params, 0, sizeof(params));
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_get_param, fake_get_param);
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_set_param, fake_set_param);
	assert_int_equal(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
	assert_int_not_equal(sim_evtchn_remote_bind(REMOTE, op.port), 0);
	params[HVM_PARAM_STORE_EVTCHN] = op.port;
	assert_int_equal(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
	params[HVM_PARAM_CONSOLE_EVTCHN] = op.port;
}

static void check_toolstack_ports_rebound(void)
{
	evtchn_port_t store = (evtchn_port_t)params[HVM_PARAM_STORE_EVTCHN];
	evtchn_port_t console = (evtchn_port_t)params[HVM_PARAM_CONSOLE_EVTCHN];
	struct rec r = { 0 };
	struct evtchn_channel *ch = NULL;

	assert_int_equal(sim_evtchn_status(store), EVTCHNSTAT_interdomain);
	assert_int_equal(sim_evtchn_status(console), EVTCHNSTAT_unbound);
	/* The store's owner opens the rewritten port and hears dom0. */
	assert_int_equal(evtchn_open_fixed(store, false, record, &r, &ch), XEN_OK);
	evtchn_unmask(ch, false, true);
	sim_deliver();
	r.calls = 0;
	assert_true(sim_evtchn_remote_send(store));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	evtchn_close(ch);
}

static void stale_fifo_state_is_reset_keeping_toolstack_ports(void **state)
{
	struct evtchn_init_control init = { .offset = 0, .vcpu = 0 };
	uint32_t r[4];
	uint64_t pfn;
	void *page;

	(void)state;
	sim_init(NULL);
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	sim_set_upcall(evtchn_upcall);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(shared_info_init(), XEN_OK);
	toolstack_ports();
	/* An earlier instance of the drivers left a FIFO control block. */
	page = os_page_alloc(&pfn);
	init.control_gfn = pfn;
	assert_int_equal(hypercall_event_channel_op(EVTCHNOP_init_control, &init), 0);
	assert_int_equal(evtchn_init(), XEN_OK);
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_FIFO);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_reset), 1);
	check_toolstack_ports_rebound();
	evtchn_fixture_down();
	os_page_free(page);
}

static void fifo_failing_on_a_later_vcpu_keeps_toolstack_ports(void **state)
{
	struct sim_config cfg = { .vcpus = 4, .domid = 1 };
	uint32_t r[4];

	(void)state;
	sim_init(&cfg);
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	sim_set_upcall(evtchn_upcall);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(shared_info_init(), XEN_OK);
	toolstack_ports();
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control, XEN_ENOMEM, 1, 1);
	assert_int_equal(evtchn_init(), XEN_OK);
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_2LEVEL);
	assert_false(sim_evtchn_fifo_active());
	check_toolstack_ports_rebound();
	evtchn_fixture_down();
}

static void reset_deactivates_and_keeps_toolstack_ports(void **state)
{
	const struct evtchn_fixture_opts *o = *state;
	struct rec r = { 0 };
	struct evtchn_channel *ch;

	toolstack_ports();
	ch = open_peer(&r, false);
	assert_int_equal(evtchn_reset(), XEN_OK);
	assert_int_equal(evtchn_abi(), want_abi(o));
	assert_false(evtchn_active(ch));
	check_toolstack_ports_rebound();
	/* A failing reset is reported; the ABI is chosen again anyway. */
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_reset, XEN_EPERM, 0, 1);
	assert_int_equal(evtchn_reset(), -XEN_EPERM);
	assert_int_not_equal(evtchn_abi(), EVTCHN_ABI_NONE);
	evtchn_close(ch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(fifo_is_chosen_when_offered, up, down,
							 (void *)&fifo_4),
		cmocka_unit_test_prestate_setup_teardown(fifo_refused_falls_back_to_2level, up,
							 down,
							 (void *)&(const struct evtchn_fixture_opts){
								 .fifo_enosys = true }),
		cmocka_unit_test_prestate_setup_teardown(forced_2level_never_asks_for_fifo, up,
							 down, (void *)&l2_1),
		cmocka_unit_test(fifo_failing_on_a_later_vcpu_resets_to_2level),
		cmocka_unit_test(init_needs_shared_info),
		BOTH(one_port_delivers_each_event_once, fifo_1, l2_1),
		BOTH(many_ports_each_delivered_once, fifo_1, l2_1),
		BOTH(masked_events_wait_for_unmask, fifo_1, l2_1),
		BOTH(mask_on_callback_until_unmasked_in_callback, fifo_1, l2_1),
		BOTH(upcall_mask_holds_delivery, fifo_1, l2_1),
		BOTH(loopback_interdomain, fifo_1, l2_1),
		BOTH(events_raised_in_callbacks_arrive_in_same_upcall, fifo_1, l2_1),
		BOTH(bound_vcpu_receives, fifo_4, l2_4),
		BOTH(ipi_and_virq_on_their_vcpu, fifo_4, l2_4),
		BOTH(vcpus_without_upcall_are_refused, fifo_4, l2_4),
		BOTH(close_is_deferred_and_final, fifo_1, l2_1),
		BOTH(fixed_close_leaves_xen_port, fifo_1, l2_1),
		BOTH(trigger_runs_callback_from_work, fifo_1, l2_1),
		BOTH(wait_counts_events, fifo_1, l2_1),
		BOTH(resume_makes_channels_inactive, fifo_4, l2_4),
		BOTH(reset_deactivates_and_keeps_toolstack_ports, fifo_1, l2_1),
		cmocka_unit_test(stale_fifo_state_is_reset_keeping_toolstack_ports),
		cmocka_unit_test(fifo_failing_on_a_later_vcpu_keeps_toolstack_ports),
		cmocka_unit_test_prestate_setup_teardown(priorities_order_fifo_delivery, up, down,
							 (void *)&fifo_1),
		cmocka_unit_test_prestate_setup_teardown(priority_needs_fifo, up, down,
							 (void *)&l2_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
