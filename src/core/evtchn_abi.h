/*
 * Internal to evtchn*.c: the channel object, per-CPU state, the port table
 * and the ops table behind which the 2-level and FIFO ABIs sit.
 */
#ifndef XB_EVTCHN_ABI_H
#define XB_EVTCHN_ABI_H

#include "compiler.h"
#include "evtchn.h"

#define EVTCHN_MAX_CPUS 128
#define EVTCHN_MAX_PORTS ((unsigned)EVTCHN_FIFO_NR_CHANNELS)	/* largest ABI */
#define EVTCHN_LEAF_SHIFT 9
#define EVTCHN_LEAF_SIZE (1u << EVTCHN_LEAF_SHIFT)
#define EVTCHN_LEAVES (EVTCHN_MAX_PORTS >> EVTCHN_LEAF_SHIFT)

struct evtchn_channel {
	evtchn_fn fn;
	void *arg;
	evtchn_port_t port;
	uint32_t count;
	unsigned cpu;
	enum evtchn_type type;
	uint32_t virq;
	bool mask_on_cb;
	bool active;		/* in the table, valid in Xen */
	bool close_in_xen;	/* EVTCHNOP_close due when freed */
	/* Deferred work (trigger, close), under the global work lock. */
	bool queued;
	bool triggered;
	bool closing;
	struct evtchn_channel *next;
	os_spinlock lock;	/* serialises unmask/bind of this channel */
};

struct evtchn_cpu {
	/* Callbacks of this CPU's channels run with `busy` set: the upcall sets
	 * it with a bare atomic (it cannot be interrupted by itself); other
	 * contexts take dispatch_lock first, which keeps this CPU's upcall
	 * from interrupting them while they hold `busy`. */
	volatile uint32_t busy;
	struct vcpu_info *vi;		/* NULL if Xen has none for this CPU */
	os_spinlock dispatch_lock;
	struct evtchn_channel *deferred;	/* under the global work lock */
	os_work work;
	unsigned index;
	unsigned long events;
	unsigned long unbound;
	unsigned long bad_port;
	/* 2-level: ports routed to this CPU (cpu 0 also owns unbound ports). */
	xen_ulong_t *l2_ports;
	/* FIFO: control block and the head cached from the last pass. */
	struct evtchn_fifo_control_block *fifo_cb;
	uint32_t fifo_head[EVTCHN_FIFO_MAX_QUEUES];
};

struct evtchn_abi_ops {
	enum evtchn_abi abi;
	unsigned max_ports;
	/* Make the ABI active in Xen for cpus[0..ncpu). */
	xen_status (*init)(struct evtchn_cpu *cpus, unsigned ncpu);
	/* Forget the ABI's state (Xen already did, or is about to). */
	void (*fini)(void);
	/* Before a new port is used (FIFO: grow the event array). */
	xen_status (*port_setup)(evtchn_port_t port);
	/* Port moves from one CPU to another (2-level filtering). */
	void (*route)(evtchn_port_t port, unsigned from, unsigned to);
	bool (*cpu_ok)(unsigned cpu);
	void (*mask)(evtchn_port_t port);
	void (*clear)(evtchn_port_t port);
	/* Clear the mask. False if the port is pending: it is left masked. */
	bool (*unmask)(evtchn_port_t port);
	bool (*is_masked)(evtchn_port_t port);
	/* One pass over the CPU's pending events. */
	bool (*poll)(struct evtchn_cpu *c);
};

extern const struct evtchn_abi_ops evtchn_2l_ops;
extern const struct evtchn_abi_ops evtchn_fifo_ops;

/* Port table: leaves of EVTCHN_LEAF_SIZE entries, allocated on first use,
 * read without locks by the upcall. */
extern struct evtchn_channel **evtchn_leaves[EVTCHN_LEAVES];

/* port < EVTCHN_MAX_PORTS (the caller checked it against the ABI). */
static inline struct evtchn_channel *evtchn_lookup(evtchn_port_t port)
{
	struct evtchn_channel **leaf =
		__atomic_load_n(&evtchn_leaves[port >> EVTCHN_LEAF_SHIFT], __ATOMIC_ACQUIRE);

	if (!leaf)
		return NULL;
	return __atomic_load_n(&leaf[port & (EVTCHN_LEAF_SIZE - 1)], __ATOMIC_ACQUIRE);
}

/* Common delivery of one pending, unmasked port: mask-on-callback, ack,
 * count, callback. Ports without a channel are acked and counted. Inlined
 * into each ABI's poll with its own mask/clear. */
static inline bool evtchn_run(struct evtchn_cpu *c, struct evtchn_channel *ch)
{
	ch->count++;
	c->events++;
	return ch->fn(ch->arg);
}

static inline __attribute__((always_inline)) bool
evtchn_deliver(struct evtchn_cpu *c, evtchn_port_t port, void (*mask)(evtchn_port_t),
	       void (*clear)(evtchn_port_t))
{
	struct evtchn_channel *ch = evtchn_lookup(port);

	if (unlikely(!ch)) {
		clear(port);
		c->unbound++;
		return false;
	}
	if (ch->mask_on_cb)
		mask(port);
	clear(port);
	return evtchn_run(c, ch);
}

/* EVTCHNOP_* with the result as a status (positive results are success). */
xen_status evtchn_hypercall(int cmd, void *arg);
/* EVTCHNOP_reset keeping the store and console ports (evtchn_reset.c). */
xen_status evtchn_xen_reset(void);

#endif /* XB_EVTCHN_ABI_H */
