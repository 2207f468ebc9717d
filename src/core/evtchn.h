/*
 * Event channels: ABI selection (FIFO, or 2-level when FIFO is refused or
 * forced off), binding, mask/unmask/send, per-vCPU binding and the upcall
 * dispatch loop that calls each port's callback.
 *
 * Channel objects belong to the core; the caller holds a handle from an
 * evtchn_open_* call until evtchn_close. Callbacks run from evtchn_upcall
 * (or from deferred work for evtchn_trigger) with the upcall of their CPU
 * excluded and no core lock held except that CPU's dispatch lock; they may
 * call evtchn_unmask(in_callback = true), evtchn_send, evtchn_trigger,
 * evtchn_open_* and evtchn_close, but must not wait.
 *
 * Semantics follow the XENBUS_EVTCHN interface (shared/spec/interfaces.md
 * 1.3): channels open masked; mask-on-callback; an event count; unmask that
 * may report "still pending"; deferred close; after evtchn_resume every
 * channel is inactive (send/unmask/bind do nothing, close just frees).
 */
#ifndef XB_EVTCHN_H
#define XB_EVTCHN_H

#include <stdbool.h>

#include "status.h"

struct evtchn_channel;

/* Returns true if the callback handled something (ORed into the ISR). */
typedef bool (*evtchn_fn)(void *arg);

enum evtchn_type {
	EVTCHN_TYPE_INVALID = 0,
	EVTCHN_TYPE_FIXED = 1,		/* values of XENBUS_EVTCHN_TYPE */
	EVTCHN_TYPE_UNBOUND = 2,
	EVTCHN_TYPE_INTER_DOMAIN = 3,
	EVTCHN_TYPE_VIRQ = 4,
	EVTCHN_TYPE_IPI = 5,		/* core only */
};

enum evtchn_abi {
	EVTCHN_ABI_NONE = 0,
	EVTCHN_ABI_2LEVEL,
	EVTCHN_ABI_FIFO,
};

/* ---- life cycle (thread context) ---- */

/* Setting read by evtchn_init/evtchn_resume: true keeps the 2-level ABI even
 * when Xen offers FIFO. */
void evtchn_force_2level(bool on);
/* Select the ABI (FIFO unless refused or forced off) and set up the port
 * table. shared_info_init must have succeeded. -XEN_ENOMEM, or the
 * hypercall status if even 2-level cannot be used. */
xen_status evtchn_init(void);
/* Tear down; every channel must have been closed (os_bug otherwise). */
void evtchn_fini(void);
/* After a suspend: every open channel becomes inactive and the ABI is chosen
 * again (Xen lost the old state). Owners re-open their channels. Call after
 * shared_info_init has re-mapped shared info. */
xen_status evtchn_resume(void);
/* EVTCHNOP_reset: Xen closes every port of the domain and returns to the
 * 2-level ABI; the ABI is then chosen again. Every channel becomes inactive
 * as after resume. The xenstore and console ports named by
 * HVM_PARAM_{STORE,CONSOLE}_EVTCHN are bound again to the same remote ends
 * and the params rewritten. evtchn_init does this by itself when Xen still
 * holds FIFO control blocks from an earlier instance. Returns the first
 * failure (the ABI is re-selected regardless). Thread context. */
xen_status evtchn_reset(void);
enum evtchn_abi evtchn_abi(void);
const char *evtchn_abi_name(enum evtchn_abi abi);

/* Tell the core which CPUs get their own upcall (per-CPU vector). CPU 0
 * always has one. Channels can only be bound to such CPUs. */
void evtchn_cpu_upcall_available(unsigned cpu, bool available);

/* ---- channels (any context up to DISPATCH) ---- */

/* Each open returns XEN_OK and *out, or a status and *out = NULL. The port
 * is left masked; call evtchn_unmask to receive. mask_on_cb: mask the port
 * before each callback (the callback's owner unmasks). */
xen_status evtchn_open_fixed(evtchn_port_t port, bool mask_on_cb, evtchn_fn fn, void *arg,
			     struct evtchn_channel **out);
xen_status evtchn_open_unbound(domid_t remote, bool mask_on_cb, evtchn_fn fn, void *arg,
			       struct evtchn_channel **out);
xen_status evtchn_open_interdomain(domid_t remote, evtchn_port_t remote_port, bool mask_on_cb,
				   evtchn_fn fn, void *arg, struct evtchn_channel **out);
/* VIRQ delivered on `cpu` (global VIRQs are bound on vCPU 0, then moved). */
xen_status evtchn_open_virq(uint32_t virq, unsigned cpu, evtchn_fn fn, void *arg,
			    struct evtchn_channel **out);
xen_status evtchn_open_ipi(unsigned cpu, evtchn_fn fn, void *arg, struct evtchn_channel **out);

/* Deliver the channel's events on `cpu` (EVTCHNOP_bind_vcpu). XEN_OK without
 * doing anything if inactive or already there; -XEN_EOPNOTSUPP if cpu has
 * no upcall; -XEN_EINVAL for IPI/per-vCPU VIRQ channels on another cpu. */
xen_status evtchn_bind_cpu(struct evtchn_channel *ch, unsigned cpu);

/* Unmask. in_callback: called from this channel's callback (the channel
 * lock is not taken). If the port was pending: with in_callback or force, or
 * from another CPU than the channel's, Xen re-delivers it (EVTCHNOP_unmask)
 * and false is returned; otherwise the port is acked (and re-masked if
 * mask_on_cb) and true is returned: "poll again". False if inactive. */
bool evtchn_unmask(struct evtchn_channel *ch, bool in_callback, bool force);
void evtchn_mask(struct evtchn_channel *ch);
/* EVTCHNOP_send. XEN_OK (nothing done) if inactive. */
xen_status evtchn_send(struct evtchn_channel *ch);
/* Run the callback soon from deferred work, as if an event had arrived. */
void evtchn_trigger(struct evtchn_channel *ch);
/* FIFO priority 0 (highest) .. 15; -XEN_ENOSYS under 2-level. */
xen_status evtchn_set_priority(struct evtchn_channel *ch, unsigned priority);
/* Callback invocations since open (wraps). */
uint32_t evtchn_count(const struct evtchn_channel *ch);
/* Spin until the count reaches `count` (wrap-safe: count - evtchn_count as
 * a signed difference <= 0) or timeout_ns passes: 0 tests once, UINT64_MAX
 * waits forever. XEN_OK or -XEN_ETIMEDOUT. Any context that may spin
 * (DISPATCH); the channel's upcall must be able to run meanwhile. */
xen_status evtchn_wait(const struct evtchn_channel *ch, uint32_t count, uint64_t timeout_ns);
evtchn_port_t evtchn_port(const struct evtchn_channel *ch);
unsigned evtchn_cpu(const struct evtchn_channel *ch);
bool evtchn_active(const struct evtchn_channel *ch);
/* Close: the port is masked and leaves the table at once; EVTCHNOP_close
 * (not for FIXED) and the free happen in deferred work once no upcall can
 * still see the channel. Inactive channels are freed at once. The handle is
 * dead after the call. */
void evtchn_close(struct evtchn_channel *ch);

/* ---- upcall ---- */

/* The OS interrupt handler for `cpu`: dispatch every pending event of that
 * CPU to its channel. Cost per event does not depend on the number of bound
 * ports. Returns the OR of the callbacks' results. */
bool evtchn_dispatch(unsigned cpu);
/* Same, for handlers without a result (the host model's upcall). */
void evtchn_upcall(unsigned cpu);

struct evtchn_stats {
	unsigned long events;		/* callbacks run for events */
	unsigned long unbound;		/* pending ports without a channel, cleared */
	unsigned long bad_port;		/* out-of-range ports reported by Xen */
	unsigned long unmask_errors;	/* EVTCHNOP_unmask failures */
};
void evtchn_get_stats(struct evtchn_stats *stats);

#endif /* XB_EVTCHN_H */
