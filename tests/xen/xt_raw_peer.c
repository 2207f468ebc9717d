/*
 * Suite "raw_peer": the raw ABI against a real dom0 peer, before the core's
 * event-channel and grant-table modules are involved (those have their own
 * suites): an interdomain channel dom0 echoes (xt-dom0 echo), and a grant
 * dom0 maps through gntdev (xt-dom0 map), including a revoke attempt while
 * it is mapped. Coordination through xenstore (xt_xs.h):
 *   data/xt-echo-port   guest -> dom0: unbound port for dom0
 *   data/xt-gref, data/xt-gtext   guest -> dom0: grant and expected text
 *   data/xt-gstate      dom0 -> guest: "mapped", then "unmapped"
 *   data/xt-grevoke     guest -> dom0: "refused" once the busy revoke failed
 */
#include "xt_xs.h"

struct shared_info *guest_shared_info(void);

#define ECHO_EVENTS 10

static bool port_pending_take(struct shared_info *si, uint32_t port)
{
	xen_ulong_t bit = (xen_ulong_t)1 << (port % (sizeof(xen_ulong_t) * 8));
	xen_ulong_t *word = &si->evtchn_pending[port / (sizeof(xen_ulong_t) * 8)];

	if (!(__atomic_load_n(word, __ATOMIC_ACQUIRE) & bit))
		return false;
	__atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
	return true;
}

XT_SCENARIO(raw_peer, interdomain_echo)
{
	struct shared_info *si = guest_shared_info();
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
	struct evtchn_close cl;
	char v[16];
	unsigned i;

	XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	guest_snprintf(v, sizeof(v), "%u", au.port);
	XT_CHECK_OK(xt_xs_write("data/xt-echo-port", v));
	/* dom0 binds; the channel's state turns interdomain. */
	{
		struct evtchn_status st = { .dom = DOMID_SELF, .port = au.port };
		uint64_t deadline = os_time_ns() + 20000ull * 1000 * 1000;

		do {
			XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_status, &st));
			if (st.status == EVTCHNSTAT_interdomain)
				break;
			guest_irq_disable();
			guest_halt_until(os_time_ns() + 10 * 1000 * 1000);
		} while (os_time_ns() < deadline);
		XT_CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
		XT_CHECK_EQ(st.u.interdomain.dom, 0);
	}
	for (i = 0; i < ECHO_EVENTS; i++) {
		struct evtchn_send s = { .port = au.port };
		uint64_t deadline = os_time_ns() + 5000ull * 1000 * 1000;

		XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_send, &s));
		while (!port_pending_take(si, au.port) && os_time_ns() < deadline) {
			guest_irq_disable();
			guest_halt_until(os_time_ns() + 1000 * 1000);
		}
		if (os_time_ns() >= deadline) {
			xt_fail(__FILE__, __LINE__, "no echo for event %u", i);
			return;
		}
	}
	xt_note("%u events echoed by dom0 on port %u", ECHO_EVENTS, au.port);
	cl.port = au.port;
	XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_close, &cl));
}

XT_SCENARIO(raw_peer, grant_map_and_revoke)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0,
	};
	grant_entry_v1_t *gt;
	uint64_t gt_pfn, data_pfn;
	char *data, text[64], v[16];
	const grant_ref_t ref = GNTTAB_NR_RESERVED_ENTRIES;
	uint16_t busy, idle = GTF_permit_access | GTF_readonly;

	gt = os_page_alloc(&gt_pfn);
	data = os_page_alloc(&data_pfn);
	XT_CHECK(gt && data);
	xatp.gpfn = gt_pfn;
	XT_CHECK_OK(hypercall_memory_op(XENMEM_add_to_physmap, &xatp));
	guest_snprintf(text, sizeof(text), "XT-GRANT %lu", (unsigned long)(os_time_ns() % 1000000));
	__builtin_memcpy(data, text, __builtin_strlen(text) + 1);
	gt[ref].domid = 0;
	gt[ref].frame = (uint32_t)data_pfn;
	wmb();
	gt[ref].flags = idle;
	guest_snprintf(v, sizeof(v), "%u", ref);
	XT_CHECK_OK(xt_xs_write("data/xt-gtext", text));
	XT_CHECK_OK(xt_xs_write("data/xt-gref", v));
	XT_CHECK_OK(xt_xs_wait_value("data/xt-gstate", "mapped", 20000));
	/* Mapped by dom0: Xen marks the entry in use, so the revoke must fail. */
	busy = __atomic_load_n(&gt[ref].flags, __ATOMIC_ACQUIRE);
	XT_CHECK(busy & GTF_reading);
	XT_CHECK(!__atomic_compare_exchange_n(&gt[ref].flags, &idle, 0, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	idle = GTF_permit_access | GTF_readonly;
	XT_CHECK_OK(xt_xs_write("data/xt-grevoke", "refused"));
	XT_CHECK_OK(xt_xs_wait_value("data/xt-gstate", "unmapped", 20000));
	XT_CHECK(__atomic_compare_exchange_n(&gt[ref].flags, &idle, 0, false, __ATOMIC_SEQ_CST,
					     __ATOMIC_SEQ_CST));
	xt_note("dom0 mapped gref %u (flags %x while mapped), revoked after unmap", ref, busy);
	/* The grant-table frame belongs to Xen now: not returned to the heap. */
	os_page_free(data);
}
