/* Event channels against untrusted values and failures: pending bits for
 * unknown ports, out-of-range ports from Xen, corrupt FIFO state, garbage in
 * the shared pages, hypercall and allocation failures. */
#include "evtchn_cases.h"

static void pending_port_without_channel_is_cleared(void **state)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = REMOTE };
	struct evtchn_unmask um;
	struct evtchn_stats st;

	(void)state;
	/* A port the core never opened (another owner's, or stale). */
	assert_int_equal(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op), 0);
	um = (struct evtchn_unmask){ .port = op.port };
	hypercall_event_channel_op(EVTCHNOP_unmask, &um);
	assert_true(sim_evtchn_set_pending(op.port));
	sim_deliver();
	evtchn_get_stats(&st);
	assert_int_equal(st.unbound, 1);
	assert_int_equal(st.events, 0);
	/* Cleared: delivered again only on a new edge. */
	sim_deliver();
	evtchn_get_stats(&st);
	assert_int_equal(st.unbound, 1);
}

static long bogus_port(const uintptr_t args[5])
{
	struct evtchn_alloc_unbound *op = (void *)args[1];

	op->port = 0x7fffffff;
	return 0;
}

static void out_of_range_port_from_xen_is_refused(void **state)
{
	struct evtchn_channel *ch = (void *)1;
	unsigned long closes = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close);
	long live = host_live_allocations();

	(void)state;
	sim_register_hypercall_cmd(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
				   bogus_port);
	assert_int_equal(evtchn_open_unbound(REMOTE, false, record, NULL, &ch), -XEN_ERANGE);
	assert_null(ch);
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_close), closes + 1);
	assert_int_equal(host_live_allocations(), live);
}

static void corrupt_fifo_queue_head_is_counted(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = open_peer(&r, false);
	struct evtchn_stats st;
	struct evtchn_fifo_control_block *cb;

	(void)state;
	evtchn_unmask(ch, false, true);
	sim_deliver();
	r.calls = 0;
	/* A queue head far beyond the event array, with its ready bit. */
	cb = sim_evtchn_fifo_control_block(0);
	assert_non_null(cb);
	cb->head[3] = 0x1ffff;
	cb->ready |= 1u << 3;
	shared_info_vcpu(0)->evtchn_upcall_pending = 1;
	evtchn_upcall(0);
	evtchn_get_stats(&st);
	assert_int_equal(st.bad_port, 1);
	/* Still works afterwards. */
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	evtchn_close(ch);
}

/* A word Xen never releases from BUSY must not hang unmask: the port is
 * left to Xen's EVTCHNOP_unmask. */
static void stuck_fifo_busy_bit_does_not_hang_unmask(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = open_peer(&r, false);
	event_word_t *word;
	unsigned long unmasks;

	(void)state;
	word = sim_evtchn_fifo_word(evtchn_port(ch));
	assert_non_null(word);
	*word |= 1u << EVTCHN_FIFO_BUSY;
	unmasks = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask);
	evtchn_unmask(ch, false, false);
	assert_true(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask) > unmasks);
	/* Xen itself clears MASKED on EVTCHNOP_unmask. */
	assert_false(*word & (1u << EVTCHN_FIFO_MASKED));
	/* Once BUSY clears, events are delivered as usual. */
	*word &= ~(1u << EVTCHN_FIFO_BUSY);
	sim_evtchn_remote_send(evtchn_port(ch));
	sim_deliver();
	assert_int_equal(r.calls, 1);
	evtchn_close(ch);
}

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Xen (or whatever writes the shared pages) fills them with garbage: the
 * upcall terminates, calls only open channels, and counts the rest. */
static void hostile_shared_state_is_survived(void **state)
{
	const struct evtchn_fixture_opts *o = *state;
	struct rec recs[8] = { { 0 } };
	struct evtchn_channel *chs[8];
	struct shared_info *si = sim_shared_info();
	unsigned round, i, calls;
	struct evtchn_stats st;

	for (i = 0; i < 8; i++) {
		chs[i] = open_peer(&recs[i], i & 1);
		evtchn_unmask(chs[i], false, true);
	}
	for (round = 0; round < 2000; round++) {
		if (o->force_2level) {
			unsigned w = next_random() % 64;

			si->evtchn_pending[w] = next_random();
			si->evtchn_mask[next_random() % 64] = next_random();
			si->vcpu_info[0].evtchn_pending_sel = next_random();
		} else {
			struct evtchn_fifo_control_block *cb = sim_evtchn_fifo_control_block(0);

			for (i = 0; i < 8; i++) {
				event_word_t *w = sim_evtchn_fifo_word(next_random() % 1024);

				*w = (event_word_t)next_random();
			}
			cb->ready = (uint32_t)next_random();
			cb->head[next_random() % 16] = (uint32_t)next_random() %
				(round & 1 ? 1024u : 0xffffffffu);
		}
		si->vcpu_info[0].evtchn_upcall_pending = 1;
		evtchn_upcall(0);
	}
	calls = 0;
	for (i = 0; i < 8; i++) {
		calls += recs[i].calls;
		assert_int_equal(evtchn_count(chs[i]), recs[i].calls);
	}
	evtchn_get_stats(&st);
	assert_int_equal(st.events, calls);
	/* Garbage did arrive and was dealt with. */
	assert_true(st.unbound > 0);
	if (!o->force_2level)
		assert_true(st.bad_port > 0);
	for (i = 0; i < 8; i++)
		evtchn_close(chs[i]);
}

/* ---- hypercall and allocation failures ---- */

static void failures_are_reported_as_statuses(void **state)
{
	struct rec r = { 0 };
	struct evtchn_channel *ch = (void *)1, *ok;
	long live = host_live_allocations();
	unsigned in_use = sim_evtchn_ports_in_use();

	(void)state;
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, XEN_ENOSPC, 0, 1);
	assert_int_equal(evtchn_open_unbound(REMOTE, false, record, &r, &ch), -XEN_ENOSPC);
	assert_null(ch);
	assert_int_equal(evtchn_open_interdomain(REMOTE, 4242, false, record, &r, &ch),
			 -XEN_EINVAL);
	assert_int_equal(evtchn_open_virq(NR_VIRQS, 0, record, &r, &ch), -XEN_EINVAL);
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_ipi, XEN_EPERM, 0, 1);
	assert_int_equal(evtchn_open_ipi(0, record, &r, &ch), -XEN_EPERM);
	assert_int_equal(evtchn_open_unbound(REMOTE, false, NULL, &r, &ch), -XEN_EINVAL);
	host_alloc_fail(0, 1);
	assert_int_equal(evtchn_open_unbound(REMOTE, false, record, &r, &ch), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_null(ch);
	assert_int_equal(host_live_allocations(), live);
	assert_int_equal(sim_evtchn_ports_in_use(), in_use);

	ok = open_peer(&r, false);
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_send, XEN_EINVAL, 0, 1);
	assert_int_equal(evtchn_send(ok), -XEN_EINVAL);
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_vcpu, XEN_ENOENT, 0, 1);
	assert_int_equal(evtchn_bind_cpu(ok, 1), -XEN_ENOENT);
	assert_int_equal(evtchn_cpu(ok), 0);
	/* Unmask failures are counted (the interface has no status for it). */
	sim_evtchn_remote_send(evtchn_port(ok));
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, XEN_EINVAL, 0, 1);
	assert_false(evtchn_unmask(ok, false, true));
	{
		struct evtchn_stats st;

		evtchn_get_stats(&st);
		assert_int_equal(st.unmask_errors, 1);
	}
	evtchn_close(ok);
}

static void fifo_array_growth_failure_closes_port(void **state)
{
	static struct rec recs[1100];
	static struct evtchn_channel *chs[1100];
	struct evtchn_channel *ch = (void *)1;
	unsigned i, n = 0;
	xen_status rc = XEN_OK;

	(void)state;
	/* Fill the first array page (ports 1..1023). */
	for (i = 0; i < 1023; i++)
		chs[n++] = open_peer(&recs[i], false);
	assert_int_equal(sim_evtchn_fifo_array_pages(), 1);
	sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_expand_array, XEN_ENOMEM, 0, 1);
	rc = evtchn_open_unbound(REMOTE, false, record, &recs[n], &ch);
	assert_int_equal(rc, -XEN_ENOMEM);
	assert_null(ch);
	assert_int_equal(sim_evtchn_ports_in_use(), 1023);
	host_alloc_fail(1, 1);	/* the channel, then the next allocation fails */
	assert_int_equal(evtchn_open_unbound(REMOTE, false, record, &recs[n], &ch), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_int_equal(sim_evtchn_ports_in_use(), 1023);
	/* Then it works. */
	chs[n] = open_peer(&recs[n], false);
	n++;
	assert_int_equal(sim_evtchn_fifo_array_pages(), 2);
	for (i = 0; i < n; i++)
		evtchn_close(chs[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH(pending_port_without_channel_is_cleared, fifo_1, l2_1),
		BOTH(out_of_range_port_from_xen_is_refused, fifo_1, l2_1),
		BOTH(hostile_shared_state_is_survived, fifo_1, l2_1),
		BOTH(failures_are_reported_as_statuses, fifo_4, l2_4),
		cmocka_unit_test_prestate_setup_teardown(corrupt_fifo_queue_head_is_counted, up,
							 down, (void *)&fifo_1),
		cmocka_unit_test_prestate_setup_teardown(stuck_fifo_busy_bit_does_not_hang_unmask,
							 up, down, (void *)&fifo_1),
		cmocka_unit_test_prestate_setup_teardown(fifo_array_growth_failure_closes_port,
							 up, down, (void *)&fifo_1),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
