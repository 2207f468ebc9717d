/*
 * Event channel model: the guest domain's ports, both ABIs, remote ends.
 * Mirrors what Xen does for each EVTCHNOP and on set_pending; arguments are
 * checked the way Xen checks them so core bugs show up as errors here.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_evtchn.h"

#define SIM_EV_MAX_PORTS EVTCHN_FIFO_NR_CHANNELS
#define SIM_EV_MAX_REMOTE 8192
#define SIM_EV_WORDS_PER_PAGE (4096u / sizeof(event_word_t))
#define SIM_EV_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / SIM_EV_WORDS_PER_PAGE)
#define SIM_EV_BITS (sizeof(xen_ulong_t) * 8)
#define P_BIT (1u << EVTCHN_FIFO_PENDING)
#define M_BIT (1u << EVTCHN_FIFO_MASKED)
#define L_BIT (1u << EVTCHN_FIFO_LINKED)
#define B_BIT (1u << EVTCHN_FIFO_BUSY)

struct sim_port {
	uint8_t state;		/* EVTCHNSTAT_*; port 0 is reserved */
	uint8_t priority;
	uint8_t last_priority;	/* FIFO queue it was last linked into */
	bool loopback;		/* interdomain with a port of our own */
	bool pending_unmapped;	/* FIFO: pending before its word existed */
	domid_t remote_dom;
	evtchn_port_t remote_port;
	uint32_t virq;
	unsigned vcpu;
	unsigned last_vcpu;
};

struct sim_remote {
	bool used;
	bool bound;
	bool echo;
	domid_t dom;
	evtchn_port_t local;
	unsigned long received;
};

static struct {
	bool live;
	unsigned max_ports;
	struct sim_port *ports;
	unsigned in_use;
	evtchn_port_t free_hint;
	evtchn_port_t min_port;	/* lowest port this domain instance allocates */
	struct sim_remote *remote;
	/* FIFO */
	bool fifo;
	event_word_t *pages[SIM_EV_MAX_PAGES];
	unsigned npages;
	struct evtchn_fifo_control_block *cb[SIM_MAX_VCPUS];
	evtchn_port_t tail[SIM_MAX_VCPUS][EVTCHN_FIFO_MAX_QUEUES];
} sev;

static domid_t sim_ev_domid(void)
{
	return sim_config()->domid;
}

static bool sim_ev_self(domid_t dom)
{
	return dom == DOMID_SELF || dom == sim_ev_domid();
}

static unsigned sim_ev_abi_ports(void)
{
	unsigned abi = sev.fifo ? EVTCHN_FIFO_NR_CHANNELS : (unsigned)EVTCHN_2L_NR_CHANNELS;

	return abi < sev.max_ports ? abi : sev.max_ports;
}

static struct sim_port *sim_ev_port(evtchn_port_t port)
{
	if (port == 0 || port >= sim_ev_abi_ports())
		return NULL;
	return &sev.ports[port];
}

static struct sim_port *sim_ev_used(evtchn_port_t port)
{
	struct sim_port *p = sim_ev_port(port);

	return p && p->state != EVTCHNSTAT_closed ? p : NULL;
}

static long sim_ev_alloc(uint8_t state, evtchn_port_t *out)
{
	unsigned limit = sim_ev_abi_ports();
	evtchn_port_t port;

	port = sev.free_hint ? sev.free_hint : 1;
	if (port < sev.min_port)
		port = sev.min_port;
	for (; port < limit; port++) {
		if (sev.ports[port].state == EVTCHNSTAT_closed)
			break;
	}
	if (port >= limit)
		return -XEN_ENOSPC;
	memset(&sev.ports[port], 0, sizeof(sev.ports[port]));
	sev.ports[port].state = state;
	sev.ports[port].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	sev.in_use++;
	sev.free_hint = port + 1;
	*out = port;
	return 0;
}

/* ---- delivery ---- */

static void sim_ev_mark_events_pending(unsigned vcpu)
{
	struct shared_info *si = sim_shared_info();

	if (si && vcpu < XEN_LEGACY_MAX_VCPUS) {
		if (__atomic_exchange_n(&si->vcpu_info[vcpu].evtchn_upcall_pending, 1,
					__ATOMIC_SEQ_CST))
			return;
	}
	sim_raise_upcall(vcpu);
}

static void sim_ev_2l_set_pending(evtchn_port_t port, unsigned vcpu)
{
	struct shared_info *si = sim_shared_info();
	xen_ulong_t bit = (xen_ulong_t)1 << (port % SIM_EV_BITS);
	unsigned w = port / SIM_EV_BITS;

	if (!si || vcpu >= XEN_LEGACY_MAX_VCPUS)
		return;
	if (__atomic_fetch_or(&si->evtchn_pending[w], bit, __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_load_n(&si->evtchn_mask[w], __ATOMIC_SEQ_CST) & bit)
		return;
	if (__atomic_fetch_or(&si->vcpu_info[vcpu].evtchn_pending_sel, (xen_ulong_t)1 << w,
			      __ATOMIC_SEQ_CST) & ((xen_ulong_t)1 << w))
		return;
	sim_ev_mark_events_pending(vcpu);
}

static event_word_t *sim_ev_word(evtchn_port_t port)
{
	if (port / SIM_EV_WORDS_PER_PAGE >= sev.npages)
		return NULL;
	return &sev.pages[port / SIM_EV_WORDS_PER_PAGE][port % SIM_EV_WORDS_PER_PAGE];
}

/* Link port at the tail of its queue (Xen's evtchn_fifo_set_pending). */
static void sim_ev_fifo_link(evtchn_port_t port, struct sim_port *p, event_word_t *word)
{
	unsigned v = p->vcpu, q = p->priority;
	struct evtchn_fifo_control_block *cb = sev.cb[v];
	evtchn_port_t tail = sev.tail[v][q];
	bool linked = false;

	if (!cb)
		return;		/* no control block for that vCPU: stays pending */
	if (__atomic_fetch_or(word, L_BIT | B_BIT, __ATOMIC_SEQ_CST) & L_BIT) {
		__atomic_fetch_and(word, ~B_BIT, __ATOMIC_SEQ_CST);
		return;
	}
	if (tail && tail != port && sev.ports[tail].last_vcpu == v &&
	    sev.ports[tail].last_priority == q) {
		event_word_t *tw = sim_ev_word(tail);
		event_word_t w = tw ? __atomic_load_n(tw, __ATOMIC_SEQ_CST) : 0;

		/* Only a still-linked tail can take a successor. */
		while (tw && (w & L_BIT)) {
			if (__atomic_compare_exchange_n(tw, &w,
							(w & ~EVTCHN_FIFO_LINK_MASK) | port, false,
							__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
				linked = true;
				break;
			}
		}
	}
	if (!linked)
		__atomic_store_n(&cb->head[q], port, __ATOMIC_SEQ_CST);
	sev.tail[v][q] = port;
	p->last_vcpu = v;
	p->last_priority = (uint8_t)q;
	__atomic_fetch_and(word, ~B_BIT, __ATOMIC_SEQ_CST);
	if (!linked && !(__atomic_fetch_or(&cb->ready, 1u << q, __ATOMIC_SEQ_CST) & (1u << q)))
		sim_ev_mark_events_pending(v);
}

static void sim_ev_fifo_set_pending(evtchn_port_t port, struct sim_port *p)
{
	event_word_t *word = sim_ev_word(port);
	event_word_t w;

	if (!word) {
		p->pending_unmapped = true;
		return;
	}
	w = __atomic_or_fetch(word, P_BIT, __ATOMIC_SEQ_CST);
	if (!(w & (M_BIT | L_BIT)))
		sim_ev_fifo_link(port, p, word);
}

static void sim_ev_set_pending(evtchn_port_t port)
{
	struct sim_port *p = &sev.ports[port];

	if (sev.fifo)
		sim_ev_fifo_set_pending(port, p);
	else
		sim_ev_2l_set_pending(port, p->vcpu);
}

static void sim_ev_clear_pending(evtchn_port_t port)
{
	struct shared_info *si = sim_shared_info();
	event_word_t *word;

	if (sev.fifo) {
		word = sim_ev_word(port);
		if (word)
			__atomic_fetch_and(word, ~P_BIT, __ATOMIC_SEQ_CST);
		sev.ports[port].pending_unmapped = false;
	} else if (si) {
		__atomic_fetch_and(&si->evtchn_pending[port / SIM_EV_BITS],
				   ~((xen_ulong_t)1 << (port % SIM_EV_BITS)), __ATOMIC_SEQ_CST);
	}
}

/* ---- hypercall handlers ---- */

static long sim_ev_alloc_unbound(const uintptr_t args[5])
{
	struct evtchn_alloc_unbound *op = (void *)args[1];
	evtchn_port_t port;
	long rc;

	if (!sim_ev_self(op->dom))
		return -XEN_EPERM;
	rc = sim_ev_alloc(EVTCHNSTAT_unbound, &port);
	if (rc)
		return rc;
	sev.ports[port].remote_dom = sim_ev_self(op->remote_dom) ? sim_ev_domid() : op->remote_dom;
	op->port = port;
	return 0;
}

static long sim_ev_bind_interdomain(const uintptr_t args[5])
{
	struct evtchn_bind_interdomain *op = (void *)args[1];
	struct sim_port *peer = NULL;
	struct sim_remote *r = NULL;
	evtchn_port_t port;
	long rc;

	if (sim_ev_self(op->remote_dom)) {
		peer = sim_ev_used(op->remote_port);
		if (!peer || peer->state != EVTCHNSTAT_unbound || peer->remote_dom != sim_ev_domid())
			return -XEN_EINVAL;
	} else {
		if (op->remote_port == 0 || op->remote_port >= SIM_EV_MAX_REMOTE)
			return -XEN_EINVAL;
		r = &sev.remote[op->remote_port];
		if (!r->used || r->bound || r->dom != op->remote_dom)
			return -XEN_EINVAL;
	}
	rc = sim_ev_alloc(EVTCHNSTAT_interdomain, &port);
	if (rc)
		return rc;
	sev.ports[port].remote_dom = sim_ev_self(op->remote_dom) ? sim_ev_domid() : op->remote_dom;
	sev.ports[port].remote_port = op->remote_port;
	if (peer) {
		sev.ports[port].loopback = true;
		peer = &sev.ports[op->remote_port];	/* the table did not move */
		peer->state = EVTCHNSTAT_interdomain;
		peer->loopback = true;
		peer->remote_port = port;
	} else {
		r->bound = true;
		r->local = port;
	}
	op->local_port = port;
	/* Xen sets the new local end pending (the peer may have sent early). */
	sim_ev_set_pending(port);
	return 0;
}

static bool sim_ev_virq_global(uint32_t virq)
{
	return !(virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
		 virq == VIRQ_XENPMU);
}

static long sim_ev_bind_virq(const uintptr_t args[5])
{
	struct evtchn_bind_virq *op = (void *)args[1];
	evtchn_port_t port;
	unsigned i;
	long rc;

	if (op->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (op->vcpu >= sim_config()->vcpus)
		return -XEN_ENOENT;
	if (sim_ev_virq_global(op->virq) && op->vcpu != 0)
		return -XEN_EINVAL;
	for (i = 1; i < sim_ev_abi_ports(); i++) {
		struct sim_port *p = &sev.ports[i];

		if (p->state == EVTCHNSTAT_virq && p->virq == op->virq &&
		    (sim_ev_virq_global(op->virq) || p->vcpu == op->vcpu))
			return -XEN_EEXIST;
	}
	rc = sim_ev_alloc(EVTCHNSTAT_virq, &port);
	if (rc)
		return rc;
	sev.ports[port].virq = op->virq;
	sev.ports[port].vcpu = op->vcpu;
	op->port = port;
	return 0;
}

static long sim_ev_bind_ipi(const uintptr_t args[5])
{
	struct evtchn_bind_ipi *op = (void *)args[1];
	evtchn_port_t port;
	long rc;

	if (op->vcpu >= sim_config()->vcpus)
		return -XEN_ENOENT;
	rc = sim_ev_alloc(EVTCHNSTAT_ipi, &port);
	if (rc)
		return rc;
	sev.ports[port].vcpu = op->vcpu;
	op->port = port;
	return 0;
}

static void sim_ev_free(evtchn_port_t port)
{
	struct sim_port *p = &sev.ports[port];

	if (p->state == EVTCHNSTAT_interdomain) {
		if (p->loopback) {
			struct sim_port *peer = &sev.ports[p->remote_port];

			peer->state = EVTCHNSTAT_unbound;
			peer->loopback = false;
			peer->remote_dom = sim_ev_domid();
			peer->remote_port = 0;
		} else if (p->remote_port < SIM_EV_MAX_REMOTE) {
			sev.remote[p->remote_port].bound = false;
			sev.remote[p->remote_port].local = 0;
		}
	}
	sim_ev_clear_pending(port);
	p->state = EVTCHNSTAT_closed;
	p->vcpu = 0;
	sev.in_use--;
	if (port < sev.free_hint)
		sev.free_hint = port;
}

static long sim_ev_close(const uintptr_t args[5])
{
	struct evtchn_close *op = (void *)args[1];

	if (!sim_ev_used(op->port))
		return -XEN_EINVAL;
	sim_ev_free(op->port);
	return 0;
}

static void sim_ev_remote_deliver(evtchn_port_t local)
{
	struct sim_remote *r = &sev.remote[sev.ports[local].remote_port];

	r->received++;
	if (r->echo)
		sim_ev_set_pending(local);
}

static long sim_ev_send(const uintptr_t args[5])
{
	struct evtchn_send *op = (void *)args[1];
	struct sim_port *p = sim_ev_used(op->port);

	if (!p)
		return -XEN_EINVAL;
	switch (p->state) {
	case EVTCHNSTAT_interdomain:
		if (p->loopback)
			sim_ev_set_pending(p->remote_port);
		else
			sim_ev_remote_deliver(op->port);
		return 0;
	case EVTCHNSTAT_ipi:
		sim_ev_set_pending(op->port);
		return 0;
	case EVTCHNSTAT_unbound:
		return 0;	/* silently dropped, as Xen does */
	default:
		return -XEN_EINVAL;
	}
}

static long sim_ev_status(const uintptr_t args[5])
{
	struct evtchn_status *op = (void *)args[1];
	struct sim_port *p;

	if (!sim_ev_self(op->dom))
		return -XEN_EPERM;
	p = sim_ev_port(op->port);
	if (!p)
		return -XEN_EINVAL;
	op->status = p->state;
	op->vcpu = p->vcpu;
	memset(&op->u, 0, sizeof(op->u));
	if (p->state == EVTCHNSTAT_unbound) {
		op->u.unbound.dom = p->remote_dom;
	} else if (p->state == EVTCHNSTAT_interdomain) {
		op->u.interdomain.dom = p->remote_dom;
		op->u.interdomain.port = p->remote_port;
	} else if (p->state == EVTCHNSTAT_virq) {
		op->u.virq = p->virq;
	}
	return 0;
}

static long sim_ev_bind_vcpu(const uintptr_t args[5])
{
	struct evtchn_bind_vcpu *op = (void *)args[1];
	struct sim_port *p = sim_ev_used(op->port);

	if (!p)
		return -XEN_EINVAL;
	if (op->vcpu >= sim_config()->vcpus)
		return -XEN_ENOENT;
	if (p->state == EVTCHNSTAT_ipi ||
	    (p->state == EVTCHNSTAT_virq && !sim_ev_virq_global(p->virq)))
		return -XEN_EINVAL;
	p->vcpu = op->vcpu;
	return 0;
}

static long sim_ev_unmask(const uintptr_t args[5])
{
	struct evtchn_unmask *op = (void *)args[1];
	struct shared_info *si = sim_shared_info();
	struct sim_port *p = sim_ev_port(op->port);
	event_word_t *word;
	unsigned w;
	xen_ulong_t bit;

	if (!p)
		return -XEN_EINVAL;
	if (sev.fifo) {
		word = sim_ev_word(op->port);
		if (!word)
			return 0;
		__atomic_fetch_and(word, ~M_BIT, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(word, __ATOMIC_SEQ_CST) & P_BIT)
			sim_ev_fifo_set_pending(op->port, p);
		return 0;
	}
	if (!si)
		return 0;
	w = op->port / SIM_EV_BITS;
	bit = (xen_ulong_t)1 << (op->port % SIM_EV_BITS);
	if ((__atomic_fetch_and(&si->evtchn_mask[w], ~bit, __ATOMIC_SEQ_CST) & bit) &&
	    (__atomic_load_n(&si->evtchn_pending[w], __ATOMIC_SEQ_CST) & bit) &&
	    p->vcpu < XEN_LEGACY_MAX_VCPUS &&
	    !(__atomic_fetch_or(&si->vcpu_info[p->vcpu].evtchn_pending_sel, (xen_ulong_t)1 << w,
				__ATOMIC_SEQ_CST) & ((xen_ulong_t)1 << w)))
		sim_ev_mark_events_pending(p->vcpu);
	return 0;
}

static void sim_ev_fifo_off(void)
{
	sev.fifo = false;
	memset(sev.pages, 0, sizeof(sev.pages));
	sev.npages = 0;
	memset(sev.cb, 0, sizeof(sev.cb));
	memset(sev.tail, 0, sizeof(sev.tail));
}

static long sim_ev_reset(const uintptr_t args[5])
{
	struct evtchn_reset *op = (void *)args[1];
	unsigned i;

	if (!sim_ev_self(op->dom))
		return -XEN_EPERM;
	for (i = 1; i < sev.max_ports; i++)
		if (sev.ports[i].state != EVTCHNSTAT_closed)
			sim_ev_free(i);
	sim_ev_fifo_off();
	sev.free_hint = 1;
	return 0;
}

static long sim_ev_init_control(const uintptr_t args[5])
{
	struct evtchn_init_control *op = (void *)args[1];

	if (op->vcpu >= sim_config()->vcpus)
		return -XEN_ENOENT;
	if (op->control_gfn == 0 || (op->offset & 7) ||
	    op->offset > 4096 - sizeof(struct evtchn_fifo_control_block))
		return -XEN_EINVAL;
	if (sev.cb[op->vcpu])
		return -XEN_EINVAL;
	sev.cb[op->vcpu] = (void *)((char *)sim_frame(op->control_gfn) + op->offset);
	memset(sev.tail[op->vcpu], 0, sizeof(sev.tail[op->vcpu]));
	/* Switching ABI loses what was pending under 2-level. */
	sev.fifo = true;
	op->link_bits = EVTCHN_FIFO_LINK_BITS;
	return 0;
}

static long sim_ev_expand_array(const uintptr_t args[5])
{
	struct evtchn_expand_array *op = (void *)args[1];
	unsigned first, i;

	if (!sev.fifo)
		return -XEN_EOPNOTSUPP;
	if (sev.npages == SIM_EV_MAX_PAGES)
		return -XEN_ENOSPC;
	if (op->array_gfn == 0)
		return -XEN_EINVAL;
	sev.pages[sev.npages++] = sim_frame(op->array_gfn);
	first = (sev.npages - 1) * SIM_EV_WORDS_PER_PAGE;
	for (i = first; i < first + SIM_EV_WORDS_PER_PAGE && i < sev.max_ports; i++) {
		if (sev.ports[i].state != EVTCHNSTAT_closed && sev.ports[i].pending_unmapped) {
			sev.ports[i].pending_unmapped = false;
			sim_ev_fifo_set_pending(i, &sev.ports[i]);
		}
	}
	return 0;
}

static long sim_ev_set_priority(const uintptr_t args[5])
{
	struct evtchn_set_priority *op = (void *)args[1];
	struct sim_port *p;

	if (!sev.fifo)
		return -XEN_ENOSYS;
	p = sim_ev_used(op->port);
	if (!p)
		return -XEN_EINVAL;
	if (op->priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	p->priority = (uint8_t)op->priority;
	return 0;
}

/* ---- life cycle ---- */

static void sim_evtchn_fini(void)
{
	free(sev.ports);
	free(sev.remote);
	memset(&sev, 0, sizeof(sev));
}

void sim_evtchn_init(const struct sim_evtchn_config *config)
{
	static const struct {
		long cmd;
		sim_hypercall_fn fn;
	} handlers[] = {
		{ EVTCHNOP_alloc_unbound, sim_ev_alloc_unbound },
		{ EVTCHNOP_bind_interdomain, sim_ev_bind_interdomain },
		{ EVTCHNOP_bind_virq, sim_ev_bind_virq },
		{ EVTCHNOP_bind_ipi, sim_ev_bind_ipi },
		{ EVTCHNOP_close, sim_ev_close },
		{ EVTCHNOP_send, sim_ev_send },
		{ EVTCHNOP_status, sim_ev_status },
		{ EVTCHNOP_bind_vcpu, sim_ev_bind_vcpu },
		{ EVTCHNOP_unmask, sim_ev_unmask },
		{ EVTCHNOP_reset, sim_ev_reset },
		{ EVTCHNOP_init_control, sim_ev_init_control },
		{ EVTCHNOP_expand_array, sim_ev_expand_array },
		{ EVTCHNOP_set_priority, sim_ev_set_priority },
	};
	unsigned i;

	sim_evtchn_fini();
	sev.max_ports = config && config->max_ports && config->max_ports < SIM_EV_MAX_PORTS
				? config->max_ports
				: SIM_EV_MAX_PORTS;
	sev.ports = calloc(sev.max_ports, sizeof(*sev.ports));
	sev.remote = calloc(SIM_EV_MAX_REMOTE, sizeof(*sev.remote));
	if (!sev.ports || !sev.remote)
		abort();
	sev.ports[0].state = EVTCHNSTAT_closed;	/* reserved: never allocated */
	sev.free_hint = 1;
	sev.live = true;
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		sim_register_hypercall_cmd(__HYPERVISOR_event_channel_op, handlers[i].cmd,
					   handlers[i].fn);
	sim_register_fini(sim_evtchn_fini);
}

/* ---- test API ---- */

void sim_evtchn_new_domain(evtchn_port_t first_port)
{
	unsigned i;

	for (i = 1; i < sev.max_ports; i++)
		if (sev.ports[i].state != EVTCHNSTAT_closed)
			sim_ev_free(i);
	sim_ev_fifo_off();
	memset(sev.remote, 0, SIM_EV_MAX_REMOTE * sizeof(*sev.remote));
	sev.free_hint = 1;
	sev.min_port = first_port ? first_port : 1;
}

bool sim_evtchn_fifo_active(void)
{
	return sev.fifo;
}

evtchn_port_t sim_evtchn_remote_alloc_unbound(domid_t dom)
{
	evtchn_port_t r;

	for (r = 1; r < SIM_EV_MAX_REMOTE; r++) {
		if (!sev.remote[r].used) {
			sev.remote[r] = (struct sim_remote){ .used = true, .dom = dom };
			return r;
		}
	}
	return 0;
}

evtchn_port_t sim_evtchn_local_alloc_unbound(domid_t dom)
{
	evtchn_port_t port;

	if (sim_ev_alloc(EVTCHNSTAT_unbound, &port))
		return 0;
	sev.ports[port].remote_dom = dom;
	return port;
}

evtchn_port_t sim_evtchn_remote_bind(domid_t dom, evtchn_port_t local_port)
{
	struct sim_port *p = sim_ev_used(local_port);
	evtchn_port_t r;

	if (!p || p->state != EVTCHNSTAT_unbound || p->remote_dom != dom)
		return 0;
	r = sim_evtchn_remote_alloc_unbound(dom);
	if (!r)
		return 0;
	sev.remote[r].bound = true;
	sev.remote[r].local = local_port;
	p->state = EVTCHNSTAT_interdomain;
	p->remote_port = r;
	return r;
}

static struct sim_port *sim_ev_remote_end(evtchn_port_t local_port)
{
	struct sim_port *p = sim_ev_used(local_port);

	if (!p || p->state != EVTCHNSTAT_interdomain || p->loopback)
		return NULL;
	return p;
}

bool sim_evtchn_remote_send(evtchn_port_t local_port)
{
	if (!sim_ev_remote_end(local_port))
		return false;
	sim_ev_set_pending(local_port);
	return true;
}

unsigned long sim_evtchn_remote_received(evtchn_port_t local_port)
{
	struct sim_port *p = sim_ev_remote_end(local_port);

	return p ? sev.remote[p->remote_port].received : 0;
}

void sim_evtchn_remote_echo(evtchn_port_t local_port, bool on)
{
	struct sim_port *p = sim_ev_remote_end(local_port);

	if (p)
		sev.remote[p->remote_port].echo = on;
}

void sim_evtchn_remote_close(evtchn_port_t local_port)
{
	struct sim_port *p = sim_ev_remote_end(local_port);

	if (!p)
		return;
	sev.remote[p->remote_port] = (struct sim_remote){ 0 };
	p->state = EVTCHNSTAT_unbound;
	p->remote_port = 0;
}

bool sim_evtchn_raise_virq(uint32_t virq, unsigned vcpu)
{
	unsigned i, limit = sim_ev_abi_ports();

	for (i = 1; i < limit; i++) {
		struct sim_port *p = &sev.ports[i];

		if (p->state == EVTCHNSTAT_virq && p->virq == virq &&
		    (sim_ev_virq_global(virq) || p->vcpu == vcpu)) {
			sim_ev_set_pending(i);
			return true;
		}
	}
	return false;
}

bool sim_evtchn_set_pending(evtchn_port_t port)
{
	if (!sim_ev_used(port))
		return false;
	sim_ev_set_pending(port);
	return true;
}

uint32_t sim_evtchn_status(evtchn_port_t port)
{
	struct sim_port *p = sim_ev_port(port);

	return p ? p->state : EVTCHNSTAT_closed;
}

unsigned sim_evtchn_vcpu(evtchn_port_t port)
{
	struct sim_port *p = sim_ev_port(port);

	return p ? p->vcpu : 0;
}

unsigned sim_evtchn_priority(evtchn_port_t port)
{
	struct sim_port *p = sim_ev_port(port);

	return p ? p->priority : 0;
}

unsigned sim_evtchn_ports_in_use(void)
{
	return sev.in_use;
}

unsigned sim_evtchn_fifo_array_pages(void)
{
	return sev.npages;
}

struct evtchn_fifo_control_block *sim_evtchn_fifo_control_block(unsigned vcpu)
{
	return vcpu < SIM_MAX_VCPUS ? sev.cb[vcpu] : NULL;
}

event_word_t *sim_evtchn_fifo_word(evtchn_port_t port)
{
	return sev.fifo ? sim_ev_word(port) : NULL;
}
