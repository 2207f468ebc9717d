/*
 * 2-level event channel ABI: pending and mask bitmaps in shared info, one
 * selector word per vCPU naming the bitmap words with news. The scan visits
 * only selected words, so its cost does not depend on how many ports exist.
 */
#include "evtchn_abi.h"
#include "shared_info.h"

#define L2_BITS SHARED_INFO_WORD_BITS
#define L2_WORDS (SHARED_INFO_2L_PORTS / L2_BITS)

static struct {
	struct shared_info *si;
	struct evtchn_cpu *cpus;
	unsigned ncpu;
} l2;

static inline unsigned l2_ctz(xen_ulong_t w)
{
	return sizeof(w) == 8 ? (unsigned)__builtin_ctzll((unsigned long long)w)
			      : (unsigned)__builtin_ctz((unsigned)w);
}

static inline xen_ulong_t l2_bit(evtchn_port_t port)
{
	return (xen_ulong_t)1 << (port % L2_BITS);
}

static inline void l2_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&l2.si->evtchn_mask[port / L2_BITS], l2_bit(port), __ATOMIC_SEQ_CST);
}

static inline void l2_clear(evtchn_port_t port)
{
	__atomic_fetch_and(&l2.si->evtchn_pending[port / L2_BITS], ~l2_bit(port),
			   __ATOMIC_SEQ_CST);
}

static bool l2_is_pending(evtchn_port_t port)
{
	return (__atomic_load_n(&l2.si->evtchn_pending[port / L2_BITS], __ATOMIC_SEQ_CST) &
		l2_bit(port)) != 0;
}

static bool l2_unmask(evtchn_port_t port)
{
	__atomic_fetch_and(&l2.si->evtchn_mask[port / L2_BITS], ~l2_bit(port), __ATOMIC_SEQ_CST);
	/* Pending while masked: Xen set no selector bit, so the edge is ours
	 * to handle. Re-mask and let the caller decide. */
	if (l2_is_pending(port)) {
		l2_mask(port);
		return false;
	}
	return true;
}

static bool l2_is_masked(evtchn_port_t port)
{
	return (__atomic_load_n(&l2.si->evtchn_mask[port / L2_BITS], __ATOMIC_SEQ_CST) &
		l2_bit(port)) != 0;
}

static xen_status l2_init(struct evtchn_cpu *cpus, unsigned ncpu)
{
	unsigned i, w;

	l2.si = shared_info_get();
	if (!l2.si)
		return -XEN_ENODEV;
	for (i = 0; i < ncpu; i++) {
		cpus[i].l2_ports = os_alloc(L2_WORDS * sizeof(xen_ulong_t));
		if (!cpus[i].l2_ports)
			goto nomem;
	}
	/* Xen notifies vCPU 0 for every port until told otherwise; ports
	 * without a channel stay with CPU 0 so their pending bits get cleared. */
	for (w = 0; w < L2_WORDS; w++)
		cpus[0].l2_ports[w] = ~(xen_ulong_t)0;
	l2.cpus = cpus;
	l2.ncpu = ncpu;
	return XEN_OK;
nomem:
	while (i-- > 0) {
		os_free(cpus[i].l2_ports);
		cpus[i].l2_ports = NULL;
	}
	return -XEN_ENOMEM;
}

static void l2_fini(void)
{
	unsigned i;

	for (i = 0; i < l2.ncpu; i++) {
		os_free(l2.cpus[i].l2_ports);
		l2.cpus[i].l2_ports = NULL;
	}
	l2.cpus = NULL;
	l2.ncpu = 0;
	l2.si = NULL;
}

static xen_status l2_port_setup(evtchn_port_t port)
{
	return port < SHARED_INFO_2L_PORTS ? XEN_OK : -XEN_ERANGE;
}

static void l2_route(evtchn_port_t port, unsigned from, unsigned to)
{
	xen_ulong_t bit = l2_bit(port);

	__atomic_fetch_or(&l2.cpus[to].l2_ports[port / L2_BITS], bit, __ATOMIC_SEQ_CST);
	if (from != to)
		__atomic_fetch_and(&l2.cpus[from].l2_ports[port / L2_BITS], ~bit,
				   __ATOMIC_SEQ_CST);
}

static bool l2_cpu_ok(unsigned cpu)
{
	return shared_info_vcpu(cpu) != NULL;
}

static bool l2_poll(struct evtchn_cpu *c)
{
	struct vcpu_info *vi = c->vi;
	xen_ulong_t sel, bits;
	bool handled = false;

	if (unlikely(!vi))
		return false;
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned w = l2_ctz(sel);

		sel &= sel - 1;
		/* One read of each shared word; only this CPU's ports. */
		bits = __atomic_load_n(&l2.si->evtchn_pending[w], __ATOMIC_RELAXED) &
		       ~__atomic_load_n(&l2.si->evtchn_mask[w], __ATOMIC_RELAXED) &
		       __atomic_load_n(&c->l2_ports[w], __ATOMIC_RELAXED);
		while (bits) {
			evtchn_port_t port = w * (unsigned)L2_BITS + l2_ctz(bits);

			bits &= bits - 1;
			handled |= evtchn_deliver(c, port, l2_mask, l2_clear);
		}
	}
	return handled;
}

const struct evtchn_abi_ops evtchn_2l_ops = {
	.abi = EVTCHN_ABI_2LEVEL,
	.max_ports = SHARED_INFO_2L_PORTS,
	.init = l2_init,
	.fini = l2_fini,
	.port_setup = l2_port_setup,
	.route = l2_route,
	.cpu_ok = l2_cpu_ok,
	.mask = l2_mask,
	.clear = l2_clear,
	.unmask = l2_unmask,
	.is_masked = l2_is_masked,
	.poll = l2_poll,
};
