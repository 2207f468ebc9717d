/*
 * Suspend/resume of the domain (SCHEDOP_shutdown(SHUTDOWN_suspend)) and the
 * early and late callback lists of the SUSPEND interface (interfaces.md 1.1).
 *
 * Sequence of suspend_trigger (thread context):
 *  1. ops->quiesce: the home stops every other CPU and turns interrupts off
 *     (Windows: per-CPU DPCs, HIGH_LEVEL; host: nothing to do).
 *  2. SCHEDOP_shutdown(SHUTDOWN_suspend), third argument 0 as HVM guests
 *     pass it (no start_info frame).
 *  3. Result 0: resumed in a new domain (restore, migration): the count goes
 *     up, then the EARLY callbacks run on CPU 0, still quiesced, in
 *     registration order. Result 1: cancelled, the domain carries on as it
 *     was: no callback runs, the count is unchanged. A negative result is a
 *     failed hypercall: same as cancelled. Any other value is impossible; it
 *     is treated as a resume (rebuilding in an unchanged domain is safe,
 *     keeping old state in a new one is not) and logged.
 *  4. ops->release: CPUs and interrupts back.
 *  5. After a resume the LATE callbacks run in thread context, in
 *     registration order; they may wait (xenstore, ...).
 * Early callbacks must neither wait nor allocate. The bus registers its own
 * callbacks first, so they run before any child's.
 */
#ifndef XB_SUSPEND_H
#define XB_SUSPEND_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler.h"
#include "status.h"

/* Values of XENBUS_SUSPEND_CALLBACK_TYPE. */
enum suspend_type {
	SUSPEND_CALLBACK_INVALID = 0,
	SUSPEND_CALLBACK_EARLY = 1,
	SUSPEND_CALLBACK_LATE = 2,
};

enum suspend_outcome {
	SUSPEND_RESUMED,	/* new domain: every module rebuilt */
	SUSPEND_CANCELLED,	/* same domain, nothing lost */
	SUSPEND_FAILED,		/* the hypercall failed: same domain */
};

typedef void (*suspend_fn)(void *arg);

struct suspend_ops {
	void *ctx;
	/* Optional. Stop other CPUs and interrupts / undo it. */
	void (*quiesce)(void *ctx);
	void (*release)(void *ctx);
};

struct suspend_callback;

struct suspend {
	os_spinlock lock;
	struct suspend_ops ops;
	struct suspend_callback *head[2], *tail[2];	/* early, late */
	struct suspend_callback *running;	/* callback being run */
	unsigned running_cpu;
	unsigned walking;		/* a trigger is walking the lists */
	bool dead_pending;		/* deregistered records left for the walker */
	volatile uint32_t busy;		/* a trigger is under way */
	volatile uint32_t count;	/* completed suspends */
	uint32_t cancelled, failed, bogus;
	long last_result;
};

/* Initialise s; ops may be NULL (no quiesce hooks). Thread context, once. */
void suspend_init(struct suspend *s, const struct suspend_ops *ops);
/* Free every registration still present (they are the owners' leaks, but
 * must not outlive the list). Thread context, no trigger running. */
void suspend_fini(struct suspend *s);

/* Append fn(arg) to the early or late list. -XEN_EINVAL for a bad type or a
 * NULL fn (upstream: silently not linked), -XEN_ENOMEM. *out: the handle
 * for suspend_deregister. <= DISPATCH. */
xen_status suspend_register(struct suspend *s, enum suspend_type type, suspend_fn fn,
			    void *arg, struct suspend_callback **out);
/* Unlink and free. From the callback itself it is deferred to the end of
 * the walk; from another CPU while that callback runs, it waits for it to
 * return. NULL is ignored. <= DISPATCH. */
void suspend_deregister(struct suspend *s, struct suspend_callback *cb);

/* Suspend the domain (see the sequence above). The early phase runs on the
 * calling CPU: call it on CPU 0 (Windows: with affinity to CPU 0; the
 * interface's Trigger then reports success whatever the outcome). XEN_OK for a resume or a
 * cancellation (*outcome says which; may be NULL); the hypercall's status
 * if it failed; -XEN_EBUSY if a trigger is already under way (also from a
 * callback). Thread context. */
xen_status suspend_trigger(struct suspend *s, enum suspend_outcome *outcome);

/* Completed (not cancelled) suspends since suspend_init. Any context. */
uint32_t suspend_count(const struct suspend *s);
/* Registrations on a list (tests, the interface's Release check). */
unsigned suspend_registered(struct suspend *s, enum suspend_type type);

#endif /* XB_SUSPEND_H */
