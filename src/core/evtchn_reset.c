/*
 * EVTCHNOP_reset for this domain, keeping the ports the toolstack bound for
 * us (xenstore, console): the reset closes them, so they are bound again to
 * the same remote ends and their HVM params rewritten with the new local
 * port numbers. Their owners read the params after evtchn init/reset.
 */
#include "evtchn_abi.h"
#include "hypercall.h"

struct evtchn_kept {
	uint32_t param;
	uint32_t status;	/* EVTCHNSTAT_interdomain or _unbound; 0: not kept */
	domid_t dom;
	evtchn_port_t port;
};

static void evtchn_reset_remember(struct evtchn_kept *k)
{
	struct evtchn_status st;
	uint64_t value;

	k->status = 0;
	if (hvm_get_param(k->param, &value) || value == 0 || value >= EVTCHN_MAX_PORTS)
		return;
	st = (struct evtchn_status){ .dom = DOMID_SELF, .port = (evtchn_port_t)value };
	if (evtchn_hypercall(EVTCHNOP_status, &st))
		return;
	if (st.status == EVTCHNSTAT_interdomain) {
		k->dom = st.u.interdomain.dom;
		k->port = st.u.interdomain.port;
	} else if (st.status == EVTCHNSTAT_unbound) {
		k->dom = st.u.unbound.dom;
	} else {
		return;
	}
	k->status = st.status;
}

static xen_status evtchn_reset_restore(const struct evtchn_kept *k)
{
	evtchn_port_t port;
	xen_status rc;

	if (k->status == EVTCHNSTAT_interdomain) {
		struct evtchn_bind_interdomain op = { .remote_dom = k->dom, .remote_port = k->port };

		rc = evtchn_hypercall(EVTCHNOP_bind_interdomain, &op);
		port = op.local_port;
	} else {
		struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = k->dom };

		rc = evtchn_hypercall(EVTCHNOP_alloc_unbound, &op);
		port = op.port;
	}
	return rc ? rc : hvm_set_param(k->param, port);
}

xen_status evtchn_xen_reset(void)
{
	struct evtchn_kept kept[] = {
		{ .param = HVM_PARAM_STORE_EVTCHN },
		{ .param = HVM_PARAM_CONSOLE_EVTCHN },
	};
	struct evtchn_reset reset = { .dom = DOMID_SELF };
	xen_status rc, first = XEN_OK;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(kept); i++)
		evtchn_reset_remember(&kept[i]);
	rc = evtchn_hypercall(EVTCHNOP_reset, &reset);
	if (rc)
		return rc;
	for (i = 0; i < ARRAY_SIZE(kept); i++) {
		if (!kept[i].status)
			continue;
		rc = evtchn_reset_restore(&kept[i]);
		if (rc && first == XEN_OK)
			first = rc;
	}
	return first;
}
