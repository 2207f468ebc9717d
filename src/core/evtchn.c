/*
 * Event channels, ABI-independent part: channel objects, the port table,
 * bind/close/send/unmask, deferred trigger and close, and the upcall loop.
 * The ABI (evtchn_2l.c, evtchn_fifo.c) sits behind evtchn_abi_ops.
 */
#include "evtchn_abi.h"
#include "hypercall.h"
#include "shared_info.h"

/* Upcall passes per dispatch before we return and let Xen re-raise it. */
#define EVTCHN_MAX_PASSES 1024

struct evtchn_channel **evtchn_leaves[EVTCHN_LEAVES];

static struct {
	const struct evtchn_abi_ops *ops;
	struct evtchn_cpu *cpus;
	unsigned ncpu;
	os_spinlock lock;		/* port table, routing, channel count */
	os_spinlock work_lock;		/* deferred lists and channel flags */
	long nchannels;			/* allocated, not yet freed */
	unsigned long unmask_errors;
	bool force_2level;
	bool upcall_available[EVTCHN_MAX_CPUS];
} ev;

xen_status evtchn_hypercall(int cmd, void *arg)
{
	return hypercall_status(hypercall_event_channel_op(cmd, arg));
}

/* ---- ABI selection ---- */

void evtchn_force_2level(bool on)
{
	ev.force_2level = on;
}

enum evtchn_abi evtchn_abi(void)
{
	return ev.ops ? ev.ops->abi : EVTCHN_ABI_NONE;
}

const char *evtchn_abi_name(enum evtchn_abi abi)
{
	switch (abi) {
	case EVTCHN_ABI_2LEVEL:
		return "2-level";
	case EVTCHN_ABI_FIFO:
		return "FIFO";
	default:
		return "none";
	}
}

static xen_status evtchn_select_abi(void)
{
	xen_status rc;
	unsigned i;

	for (i = 0; i < ev.ncpu; i++)
		ev.cpus[i].vi = shared_info_vcpu(i);

	if (!ev.force_2level) {
		rc = evtchn_fifo_ops.init(ev.cpus, ev.ncpu);
		/* -EINVAL: control blocks left by an earlier instance of the
		 * guest (driver reload, kexec); only a reset clears them. */
		if (rc == -XEN_EINVAL && evtchn_xen_reset() == XEN_OK)
			rc = evtchn_fifo_ops.init(ev.cpus, ev.ncpu);
		if (rc == XEN_OK) {
			ev.ops = &evtchn_fifo_ops;
			return XEN_OK;
		}
	}
	/* FIFO refused (e.g. -ENOSYS on old Xen) or forced off. */
	rc = evtchn_2l_ops.init(ev.cpus, ev.ncpu);
	if (rc == XEN_OK)
		ev.ops = &evtchn_2l_ops;
	return rc;
}

static void evtchn_cpu_work(void *arg);

xen_status evtchn_init(void)
{
	unsigned i;
	xen_status rc;

	if (ev.ops)
		return -XEN_EEXIST;
	if (!shared_info_get())
		return -XEN_ENODEV;
	os_spin_init(&ev.lock);
	os_spin_init(&ev.work_lock);
	ev.unmask_errors = 0;
	ev.ncpu = os_cpu_count();
	if (ev.ncpu > EVTCHN_MAX_CPUS)
		ev.ncpu = EVTCHN_MAX_CPUS;
	ev.cpus = os_alloc(ev.ncpu * sizeof(*ev.cpus));
	if (!ev.cpus)
		return -XEN_ENOMEM;
	for (i = 0; i < ev.ncpu; i++) {
		struct evtchn_cpu *c = &ev.cpus[i];

		c->index = i;
		os_spin_init(&c->dispatch_lock);
		os_work_init(&c->work, evtchn_cpu_work, c);
	}
	ev.upcall_available[0] = true;
	rc = evtchn_select_abi();
	if (rc) {
		os_free(ev.cpus);
		ev.cpus = NULL;
		ev.ncpu = 0;
	}
	return rc;
}

static void evtchn_free_leaves(void)
{
	unsigned i;

	for (i = 0; i < EVTCHN_LEAVES; i++) {
		os_free(evtchn_leaves[i]);
		evtchn_leaves[i] = NULL;
	}
}

void evtchn_fini(void)
{
	unsigned i;

	if (!ev.ops)
		return;
	/* Run outstanding deferred closes now. */
	for (i = 0; i < ev.ncpu; i++) {
		os_work_cancel(&ev.cpus[i].work);
		evtchn_cpu_work(&ev.cpus[i]);
	}
	if (ev.nchannels != 0)
		BUG("OUTSTANDING EVENT CHANNELS");
	ev.ops->fini();
	ev.ops = NULL;
	evtchn_free_leaves();
	os_free(ev.cpus);
	ev.cpus = NULL;
	ev.ncpu = 0;
	__builtin_memset(ev.upcall_available, 0, sizeof(ev.upcall_available));
}

void evtchn_cpu_upcall_available(unsigned cpu, bool available)
{
	if (cpu > 0 && cpu < EVTCHN_MAX_CPUS)
		ev.upcall_available[cpu] = available;
}

/* Xen upcalls a vCPU only through its vcpu_info (in shared info for the
 * first XEN_LEGACY_MAX_VCPUS; VCPUOP_register_vcpu_info is not used). */
static bool evtchn_cpu_ok(unsigned cpu)
{
	return cpu < ev.ncpu && ev.upcall_available[cpu] && ev.cpus[cpu].vi &&
	       ev.ops->cpu_ok(cpu);
}

/* ---- port table ---- */

/* Insert ch at port, routed to cpu. Table lock held. */
static xen_status evtchn_table_insert(struct evtchn_channel *ch, evtchn_port_t port,
				      unsigned cpu)
{
	struct evtchn_channel **leaf = evtchn_leaves[port >> EVTCHN_LEAF_SHIFT];

	if (!leaf) {
		leaf = os_alloc(EVTCHN_LEAF_SIZE * sizeof(*leaf));
		if (!leaf)
			return -XEN_ENOMEM;
		__atomic_store_n(&evtchn_leaves[port >> EVTCHN_LEAF_SHIFT], leaf,
				 __ATOMIC_RELEASE);
	}
	if (leaf[port & (EVTCHN_LEAF_SIZE - 1)])
		return -XEN_EEXIST;
	ch->port = port;
	ch->cpu = cpu;
	ch->active = true;
	__atomic_store_n(&leaf[port & (EVTCHN_LEAF_SIZE - 1)], ch, __ATOMIC_RELEASE);
	ev.ops->route(port, 0, cpu);
	return XEN_OK;
}

/* Take ch out of the table. Table lock held. */
static void evtchn_table_remove(struct evtchn_channel *ch)
{
	struct evtchn_channel **leaf = evtchn_leaves[ch->port >> EVTCHN_LEAF_SHIFT];

	if (leaf && leaf[ch->port & (EVTCHN_LEAF_SIZE - 1)] == ch)
		__atomic_store_n(&leaf[ch->port & (EVTCHN_LEAF_SIZE - 1)], NULL,
				 __ATOMIC_RELEASE);
	ev.ops->route(ch->port, ch->cpu, 0);
	__atomic_store_n(&ch->active, false, __ATOMIC_RELEASE);
}

/* ---- open ---- */

static struct evtchn_channel *evtchn_channel_new(enum evtchn_type type, bool mask_on_cb,
						 evtchn_fn fn, void *arg)
{
	struct evtchn_channel *ch = os_alloc(sizeof(*ch));
	os_lock_state s;

	if (!ch)
		return NULL;
	ch->type = type;
	ch->fn = fn;
	ch->arg = arg;
	ch->mask_on_cb = mask_on_cb;
	ch->close_in_xen = type != EVTCHN_TYPE_FIXED;
	os_spin_init(&ch->lock);
	s = os_spin_lock(&ev.lock);
	ev.nchannels++;
	os_spin_unlock(&ev.lock, s);
	return ch;
}

static void evtchn_channel_free(struct evtchn_channel *ch)
{
	os_lock_state s = os_spin_lock(&ev.lock);

	ev.nchannels--;
	os_spin_unlock(&ev.lock, s);
	os_free(ch);
}

static void evtchn_xen_close(evtchn_port_t port)
{
	struct evtchn_close close = { .port = port };

	(void)evtchn_hypercall(EVTCHNOP_close, &close);
}

/* Make a port Xen gave us (or the caller named, FIXED) usable: validated,
 * set up in the ABI, masked, in the table. On failure a port Xen allocated
 * is closed again and ch freed. */
static xen_status evtchn_attach(struct evtchn_channel *ch, evtchn_port_t port, unsigned cpu,
				struct evtchn_channel **out)
{
	xen_status rc;
	os_lock_state s;

	/* Port 0 is never allocated by Xen; larger than the ABI: bogus (but
	 * let Xen release whatever it did allocate). */
	if (port == 0) {
		rc = -XEN_EINVAL;
		goto fail;
	}
	if (port >= ev.ops->max_ports) {
		rc = -XEN_ERANGE;
		goto fail_port;
	}
	rc = ev.ops->port_setup(port);
	if (rc)
		goto fail_port;
	ev.ops->mask(port);
	s = os_spin_lock(&ev.lock);
	rc = evtchn_table_insert(ch, port, cpu);
	os_spin_unlock(&ev.lock, s);
	if (rc)
		goto fail_port;
	*out = ch;
	return XEN_OK;
fail_port:
	if (ch->close_in_xen)
		evtchn_xen_close(port);
fail:
	evtchn_channel_free(ch);
	return rc;
}

/* Common start of every open: checks, and the channel allocated before
 * anything is bound in Xen (nothing to undo on -ENOMEM). */
static xen_status evtchn_open_prologue(enum evtchn_type type, unsigned cpu, bool mask_on_cb,
				       evtchn_fn fn, void *arg, struct evtchn_channel **out,
				       struct evtchn_channel **ch)
{
	*out = NULL;
	if (!ev.ops)
		return -XEN_ENODEV;
	if (!fn)
		return -XEN_EINVAL;
	if (!evtchn_cpu_ok(cpu))
		return -XEN_EOPNOTSUPP;
	*ch = evtchn_channel_new(type, mask_on_cb, fn, arg);
	return *ch ? XEN_OK : -XEN_ENOMEM;
}

/* Common end: rc is the bind hypercall's status, port what it returned. */
static xen_status evtchn_open_epilogue(struct evtchn_channel *ch, xen_status rc,
				       evtchn_port_t port, unsigned cpu,
				       struct evtchn_channel **out)
{
	if (rc) {
		evtchn_channel_free(ch);
		return rc;
	}
	return evtchn_attach(ch, port, cpu, out);
}

xen_status evtchn_open_fixed(evtchn_port_t port, bool mask_on_cb, evtchn_fn fn, void *arg,
			     struct evtchn_channel **out)
{
	struct evtchn_channel *ch;
	xen_status rc = evtchn_open_prologue(EVTCHN_TYPE_FIXED, 0, mask_on_cb, fn, arg, out, &ch);

	return rc ? rc : evtchn_attach(ch, port, 0, out);
}

xen_status evtchn_open_unbound(domid_t remote, bool mask_on_cb, evtchn_fn fn, void *arg,
			       struct evtchn_channel **out)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };
	struct evtchn_channel *ch;
	xen_status rc = evtchn_open_prologue(EVTCHN_TYPE_UNBOUND, 0, mask_on_cb, fn, arg, out,
					     &ch);

	if (rc)
		return rc;
	rc = evtchn_hypercall(EVTCHNOP_alloc_unbound, &op);
	return evtchn_open_epilogue(ch, rc, op.port, 0, out);
}

xen_status evtchn_open_interdomain(domid_t remote, evtchn_port_t remote_port, bool mask_on_cb,
				   evtchn_fn fn, void *arg, struct evtchn_channel **out)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote, .remote_port = remote_port };
	struct evtchn_channel *ch;
	xen_status rc = evtchn_open_prologue(EVTCHN_TYPE_INTER_DOMAIN, 0, mask_on_cb, fn, arg, out,
					     &ch);

	if (rc)
		return rc;
	rc = evtchn_hypercall(EVTCHNOP_bind_interdomain, &op);
	return evtchn_open_epilogue(ch, rc, op.local_port, 0, out);
}

/* VIRQs Xen delivers per vCPU (the "V." ones in xen.h): bound where they
 * fire, never moved. The others are global: bound on vCPU 0, movable. */
static bool evtchn_virq_per_vcpu(uint32_t virq)
{
	return virq == VIRQ_TIMER || virq == VIRQ_DEBUG || virq == VIRQ_XENOPROF ||
	       virq == VIRQ_XENPMU;
}

static bool evtchn_fixed_cpu(const struct evtchn_channel *ch)
{
	return ch->type == EVTCHN_TYPE_IPI ||
	       (ch->type == EVTCHN_TYPE_VIRQ && evtchn_virq_per_vcpu(ch->virq));
}

xen_status evtchn_open_virq(uint32_t virq, unsigned cpu, evtchn_fn fn, void *arg,
			    struct evtchn_channel **out)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = evtchn_virq_per_vcpu(virq) ? cpu : 0 };
	struct evtchn_channel *ch;
	xen_status rc = evtchn_open_prologue(EVTCHN_TYPE_VIRQ, cpu, false, fn, arg, out, &ch);

	if (rc)
		return rc;
	ch->virq = virq;
	rc = evtchn_hypercall(EVTCHNOP_bind_virq, &op);
	rc = evtchn_open_epilogue(ch, rc, op.port, op.vcpu, out);
	if (rc || op.vcpu == cpu)
		return rc;
	rc = evtchn_bind_cpu(ch, cpu);
	if (rc) {
		evtchn_close(ch);
		*out = NULL;
	}
	return rc;
}

xen_status evtchn_open_ipi(unsigned cpu, evtchn_fn fn, void *arg, struct evtchn_channel **out)
{
	struct evtchn_bind_ipi op = { .vcpu = cpu };
	struct evtchn_channel *ch;
	xen_status rc = evtchn_open_prologue(EVTCHN_TYPE_IPI, cpu, false, fn, arg, out, &ch);

	if (rc)
		return rc;
	rc = evtchn_hypercall(EVTCHNOP_bind_ipi, &op);
	return evtchn_open_epilogue(ch, rc, op.port, cpu, out);
}

/* ---- operations on a channel ---- */

static bool evtchn_is_active(const struct evtchn_channel *ch)
{
	return __atomic_load_n(&ch->active, __ATOMIC_ACQUIRE);
}

/* Ask Xen to unmask a port we left masked: it re-delivers if pending. */
static void evtchn_xen_unmask(evtchn_port_t port)
{
	struct evtchn_unmask op = { .port = port };

	if (evtchn_hypercall(EVTCHNOP_unmask, &op))
		__atomic_fetch_add(&ev.unmask_errors, 1, __ATOMIC_RELAXED);
}

xen_status evtchn_bind_cpu(struct evtchn_channel *ch, unsigned cpu)
{
	struct evtchn_bind_vcpu op;
	xen_status rc = XEN_OK;
	os_lock_state s, t;
	bool was_masked;

	s = os_spin_lock(&ch->lock);
	if (!evtchn_is_active(ch) || ch->cpu == cpu)
		goto out;
	rc = -XEN_EOPNOTSUPP;
	if (!evtchn_cpu_ok(cpu))
		goto out;
	rc = -XEN_EINVAL;
	if (evtchn_fixed_cpu(ch))
		goto out;
	/* Masked across the move; a pending event is re-delivered by Xen on
	 * the new vCPU when we unmask through it. */
	was_masked = ev.ops->is_masked(ch->port);
	ev.ops->mask(ch->port);
	op = (struct evtchn_bind_vcpu){ .port = ch->port, .vcpu = cpu };
	rc = evtchn_hypercall(EVTCHNOP_bind_vcpu, &op);
	if (rc == XEN_OK) {
		t = os_spin_lock(&ev.lock);
		ev.ops->route(ch->port, ch->cpu, cpu);
		ch->cpu = cpu;
		os_spin_unlock(&ev.lock, t);
	}
	if (!was_masked && !ev.ops->unmask(ch->port))
		evtchn_xen_unmask(ch->port);
out:
	os_spin_unlock(&ch->lock, s);
	return rc;
}

static bool evtchn_unmask_locked(struct evtchn_channel *ch, bool in_callback, bool force)
{
	if (!evtchn_is_active(ch) || ev.ops->unmask(ch->port))
		return false;
	/* Pending, still masked. */
	if (in_callback || force || ch->cpu != os_cpu_current()) {
		evtchn_xen_unmask(ch->port);
		return false;
	}
	ev.ops->clear(ch->port);
	if (!ch->mask_on_cb && !ev.ops->unmask(ch->port))
		evtchn_xen_unmask(ch->port);
	return true;
}

bool evtchn_unmask(struct evtchn_channel *ch, bool in_callback, bool force)
{
	os_lock_state s;
	bool pending;

	if (in_callback)
		return evtchn_unmask_locked(ch, true, force);
	s = os_spin_lock(&ch->lock);
	pending = evtchn_unmask_locked(ch, false, force);
	os_spin_unlock(&ch->lock, s);
	return pending;
}

void evtchn_mask(struct evtchn_channel *ch)
{
	if (evtchn_is_active(ch))
		ev.ops->mask(ch->port);
}

xen_status evtchn_send(struct evtchn_channel *ch)
{
	struct evtchn_send op;

	if (!evtchn_is_active(ch))
		return XEN_OK;
	op = (struct evtchn_send){ .port = ch->port };
	return evtchn_hypercall(EVTCHNOP_send, &op);
}

xen_status evtchn_set_priority(struct evtchn_channel *ch, unsigned priority)
{
	struct evtchn_set_priority op;

	if (priority > EVTCHN_FIFO_PRIORITY_MIN)
		return -XEN_EINVAL;
	if (!evtchn_is_active(ch))
		return XEN_OK;
	if (ev.ops->abi != EVTCHN_ABI_FIFO)
		return -XEN_ENOSYS;
	op = (struct evtchn_set_priority){ .port = ch->port, .priority = priority };
	return evtchn_hypercall(EVTCHNOP_set_priority, &op);
}

uint32_t evtchn_count(const struct evtchn_channel *ch)
{
	return __atomic_load_n(&ch->count, __ATOMIC_RELAXED);
}

#define EVTCHN_WAIT_STEP_NS 1000

static bool evtchn_count_reached(const struct evtchn_channel *ch, uint32_t count)
{
	return (int32_t)(count - evtchn_count(ch)) <= 0;
}

xen_status evtchn_wait(const struct evtchn_channel *ch, uint32_t count, uint64_t timeout_ns)
{
	uint64_t start = os_time_ns();

	while (!evtchn_count_reached(ch, count)) {
		if (timeout_ns != UINT64_MAX && os_time_ns() - start >= timeout_ns)
			return -XEN_ETIMEDOUT;
		os_delay_ns(EVTCHN_WAIT_STEP_NS);
	}
	return XEN_OK;
}

evtchn_port_t evtchn_port(const struct evtchn_channel *ch)
{
	return ch->port;
}

unsigned evtchn_cpu(const struct evtchn_channel *ch)
{
	return ch->cpu;
}

bool evtchn_active(const struct evtchn_channel *ch)
{
	return evtchn_is_active(ch);
}

/* ---- deferred work: trigger and close ---- */

/* Queue ch on the work list of its CPU (once). */
static void evtchn_defer(struct evtchn_channel *ch, bool trigger, bool close)
{
	struct evtchn_cpu *c = &ev.cpus[ch->cpu < ev.ncpu ? ch->cpu : 0];
	os_lock_state s = os_spin_lock(&ev.work_lock);
	bool queue = !ch->queued;

	ch->triggered |= trigger;
	ch->closing |= close;
	if (queue) {
		ch->queued = true;
		ch->next = c->deferred;
		c->deferred = ch;
	}
	os_spin_unlock(&ev.work_lock, s);
	if (queue)
		os_work_queue(&c->work);
}

void evtchn_trigger(struct evtchn_channel *ch)
{
	if (evtchn_is_active(ch))
		evtchn_defer(ch, true, false);
}

/* Keep CPU c's upcall out (from outside the upcall). */
static os_lock_state evtchn_exclude_upcall(struct evtchn_cpu *c)
{
	os_lock_state s = os_spin_lock(&c->dispatch_lock);

	while (__atomic_exchange_n(&c->busy, 1, __ATOMIC_ACQUIRE))
		;
	return s;
}

static void evtchn_allow_upcall(struct evtchn_cpu *c, os_lock_state s)
{
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
	os_spin_unlock(&c->dispatch_lock, s);
}

/* Every CPU's upcall (and trigger work) has left any pass that could have
 * seen a channel removed from the table before this call. */
static void evtchn_sync_upcalls(void)
{
	unsigned i;

	for (i = 0; i < ev.ncpu; i++)
		evtchn_allow_upcall(&ev.cpus[i], evtchn_exclude_upcall(&ev.cpus[i]));
}

/* Run triggers of CPU c's list as if from its upcall; return the channels
 * to free. The list is taken while c's upcall is excluded, so a channel on
 * it cannot be freed by a concurrent close before we are done with it. */
static struct evtchn_channel *evtchn_run_deferred(struct evtchn_cpu *c, bool *any)
{
	struct evtchn_channel *list, *ch, *dead = NULL;
	os_lock_state x = evtchn_exclude_upcall(c), s;
	bool triggered, closing;

	s = os_spin_lock(&ev.work_lock);
	list = c->deferred;
	c->deferred = NULL;
	os_spin_unlock(&ev.work_lock, s);
	*any = list != NULL;
	while (list) {
		ch = list;
		list = ch->next;
		s = os_spin_lock(&ev.work_lock);
		triggered = ch->triggered;
		closing = ch->closing;
		ch->triggered = false;
		ch->queued = false;
		os_spin_unlock(&ev.work_lock, s);
		if (closing) {
			ch->next = dead;
			dead = ch;
		} else if (triggered && evtchn_is_active(ch)) {
			if (ch->mask_on_cb)
				ev.ops->mask(ch->port);
			(void)evtchn_run(c, ch);
		}
	}
	evtchn_allow_upcall(c, x);
	return dead;
}

static void evtchn_cpu_work(void *arg)
{
	struct evtchn_cpu *c = arg;
	struct evtchn_channel *dead, *ch;
	bool any = true;

	while (any) {
		dead = evtchn_run_deferred(c, &any);
		if (dead)
			evtchn_sync_upcalls();
		while (dead) {
			ch = dead;
			dead = ch->next;
			if (ch->close_in_xen)
				evtchn_xen_close(ch->port);
			evtchn_channel_free(ch);
		}
	}
}

void evtchn_close(struct evtchn_channel *ch)
{
	os_lock_state s;
	bool was_active;

	if (!ch)
		return;
	s = os_spin_lock(&ev.lock);
	was_active = ch->active;
	if (was_active) {
		ev.ops->mask(ch->port);
		evtchn_table_remove(ch);
	}
	os_spin_unlock(&ev.lock, s);
	if (!was_active) {
		/* Inactive since a resume: Xen no longer has the port. */
		ch->close_in_xen = false;
	}
	evtchn_defer(ch, false, true);
}

/* ---- resume ---- */

static void evtchn_deactivate_all(void)
{
	unsigned i, j;
	os_lock_state s;

	s = os_spin_lock(&ev.lock);
	for (i = 0; i < EVTCHN_LEAVES; i++) {
		struct evtchn_channel **leaf = evtchn_leaves[i];

		for (j = 0; leaf && j < EVTCHN_LEAF_SIZE; j++) {
			struct evtchn_channel *ch = leaf[j];

			if (!ch)
				continue;
			ch->close_in_xen = false;
			__atomic_store_n(&ch->active, false, __ATOMIC_RELEASE);
			__atomic_store_n(&leaf[j], NULL, __ATOMIC_RELEASE);
		}
	}
	os_spin_unlock(&ev.lock, s);
	/* Closes still queued must not close a port of the new instance. */
	for (i = 0; i < ev.ncpu; i++) {
		struct evtchn_channel *ch;

		s = os_spin_lock(&ev.work_lock);
		for (ch = ev.cpus[i].deferred; ch; ch = ch->next)
			ch->close_in_xen = false;
		os_spin_unlock(&ev.work_lock, s);
	}
}

/* Every channel inactive, the ABI forgotten. */
static void evtchn_forget_all(void)
{
	evtchn_deactivate_all();
	evtchn_sync_upcalls();
	ev.ops->fini();
	ev.ops = NULL;
}

xen_status evtchn_resume(void)
{
	if (!ev.ops)
		return -XEN_ENODEV;
	evtchn_forget_all();
	return evtchn_select_abi();
}

xen_status evtchn_reset(void)
{
	xen_status rc;

	if (!ev.ops)
		return -XEN_ENODEV;
	evtchn_forget_all();
	rc = evtchn_xen_reset();
	if (rc)
		(void)evtchn_select_abi();
	else
		rc = evtchn_select_abi();
	return rc;
}

/* ---- upcall ---- */

static inline __attribute__((always_inline)) bool evtchn_dispatch_cpu(unsigned cpu)
{
	const struct evtchn_abi_ops *ops = ev.ops;
	struct evtchn_cpu *c;
	struct vcpu_info *vi;
	bool handled = false;
	unsigned pass = 0;

	if (unlikely(!ops || cpu >= ev.ncpu))
		return false;
	c = &ev.cpus[cpu];
	vi = c->vi;
	/* Only contended by trigger/close work holding the dispatch lock. */
	while (unlikely(__atomic_exchange_n(&c->busy, 1, __ATOMIC_ACQUIRE)))
		;
	do {
		/* Cleared before looking, so a new event re-raises it. */
		if (vi)
			__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
		handled |= ops->poll(c);
	} while (vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) &&
		 ++pass < EVTCHN_MAX_PASSES);
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
	return handled;
}

bool evtchn_dispatch(unsigned cpu)
{
	return evtchn_dispatch_cpu(cpu);
}

void evtchn_upcall(unsigned cpu)
{
	(void)evtchn_dispatch_cpu(cpu);
}

void evtchn_get_stats(struct evtchn_stats *stats)
{
	unsigned i;

	__builtin_memset(stats, 0, sizeof(*stats));
	for (i = 0; i < ev.ncpu; i++) {
		stats->events += ev.cpus[i].events;
		stats->unbound += ev.cpus[i].unbound;
		stats->bad_port += ev.cpus[i].bad_port;
	}
	stats->unmask_errors = __atomic_load_n(&ev.unmask_errors, __ATOMIC_RELAXED);
}
