/*
 * Suite "raw_peer": the raw ABI against a real dom0 peer, before the core's
 * event-channel module is involved: an interdomain channel dom0 echoes
 * (xt-dom0 echo); and the core's grant table with dom0 mapping a grant
 * through gntdev (xt-dom0 map), including a revoke attempt while mapped. Coordination through xenstore (xt_xs.h):
 *   data/xt-echo-port   guest -> dom0: unbound port for dom0
 *   data/xt-gref, data/xt-gtext   guest -> dom0: grant and expected text
 *   data/xt-gstate      dom0 -> guest: "mapped", then "unmapped"
 *   data/xt-grevoke     guest -> dom0: "refused" once the busy revoke failed
 */
#include "gnttab.h"
#include "xt_xs.h"


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
	/* dom0 binds, drains and says so (tests/xen/dom0/run.sh). */
	XT_CHECK_OK(xt_xs_wait_value("data/xt-echo-ready", "1", 20000));
	{
		struct evtchn_status st = { .dom = DOMID_SELF, .port = au.port };

		XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_status, &st));
		XT_CHECK_EQ(st.status, EVTCHNSTAT_interdomain);
		XT_CHECK_EQ(st.u.interdomain.dom, 0);
	}
	port_pending_take(si, au.port);
	for (i = 0; i < ECHO_EVENTS; i++) {
		struct evtchn_send s = { .port = au.port };
		uint64_t deadline = os_time_ns() + 15000ull * 1000 * 1000;
		bool echoed;

		XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_send, &s));
		while (!(echoed = port_pending_take(si, au.port)) && os_time_ns() < deadline) {
			guest_irq_disable();
			guest_halt_until(os_time_ns() + 1000 * 1000);
		}
		if (!echoed) {
			xt_fail(__FILE__, __LINE__, "no echo for event %u", i);
			return;
		}
	}
	xt_note("%u events echoed by dom0 on port %u", ECHO_EVENTS, au.port);
	cl.port = au.port;
	XT_CHECK_OK(hypercall_event_channel_op(EVTCHNOP_close, &cl));
}

/* The core's grant table (gnttab.h) with a real backend: dom0 maps the
 * granted page and reads the guest's bytes; revoke is refused while it is
 * mapped and succeeds after dom0 unmaps. */
XT_SCENARIO(raw_peer, gnttab_map_and_revoke)
{
	struct gnttab_cache *gc = NULL;
	struct gnttab_entry *e = NULL;
	uint64_t data_pfn;
	char *data, text[64], v[16];
	xen_status rc;

	data = os_page_alloc(&data_pfn);
	XT_CHECK(data != NULL);
	rc = gnttab_init(NULL);
	XT_CHECK(rc == XEN_OK || rc == -XEN_EEXIST);
	XT_CHECK_OK(gnttab_cache_create("xt", 0, 0, NULL, NULL, NULL, &gc));
	guest_snprintf(text, sizeof(text), "XT-GRANT %lu", (unsigned long)(os_time_ns() % 1000000));
	__builtin_memcpy(data, text, __builtin_strlen(text) + 1);
	XT_CHECK_OK(gnttab_permit_foreign_access(gc, false, 0, data_pfn, true, &e));
	guest_snprintf(v, sizeof(v), "%u", gnttab_entry_ref(e));
	XT_CHECK_OK(xt_xs_write("data/xt-gtext", text));
	XT_CHECK_OK(xt_xs_write("data/xt-gref", v));
	XT_CHECK_OK(xt_xs_wait_value("data/xt-gstate", "mapped", 20000));
	/* Mapped by dom0: the revoke must be refused, the entry kept. */
	XT_CHECK_EQ(gnttab_revoke_foreign_access(gc, false, e), -XEN_EBUSY);
	XT_CHECK_OK(xt_xs_write("data/xt-grevoke", "refused"));
	XT_CHECK_OK(xt_xs_wait_value("data/xt-gstate", "unmapped", 20000));
	XT_CHECK_OK(gnttab_revoke_foreign_access(gc, false, e));
	XT_CHECK_OK(gnttab_cache_destroy(gc));
	xt_note("dom0 mapped gref %s, revoke refused while mapped, done after unmap", v);
	os_page_free(data);
}
