/*
 * Suspend callback lists and the suspend hypercall sequence (suspend.h).
 *
 * The lists are walked without the lock held across a callback, so a
 * callback may register or deregister (itself or others). Records are only
 * unlinked while no walk is under way: a deregistration during a walk marks
 * the record dead and the walker frees it at the end.
 */
#include "suspend.h"
#include "hypercall.h"
#include "log.h"

struct suspend_callback {
	struct suspend_callback *next;
	suspend_fn fn;
	void *arg;
	unsigned list;		/* 0 early, 1 late */
	bool dead;
};

void suspend_init(struct suspend *s, const struct suspend_ops *ops)
{
	__builtin_memset(s, 0, sizeof(*s));
	os_spin_init(&s->lock);
	if (ops)
		s->ops = *ops;
}

static void suspend_free_list(struct suspend_callback *cb)
{
	struct suspend_callback *next;

	for (; cb; cb = next) {
		next = cb->next;
		os_free(cb);
	}
}

void suspend_fini(struct suspend *s)
{
	unsigned i;

	for (i = 0; i < 2; i++) {
		suspend_free_list(s->head[i]);
		s->head[i] = s->tail[i] = NULL;
	}
}

static int suspend_list_index(enum suspend_type type)
{
	if (type == SUSPEND_CALLBACK_EARLY)
		return 0;
	if (type == SUSPEND_CALLBACK_LATE)
		return 1;
	return -1;
}

xen_status suspend_register(struct suspend *s, enum suspend_type type, suspend_fn fn,
			    void *arg, struct suspend_callback **out)
{
	struct suspend_callback *cb;
	os_lock_state state;
	int list = suspend_list_index(type);

	if (out)
		*out = NULL;
	if (list < 0 || !fn || !out)
		return -XEN_EINVAL;
	cb = os_alloc(sizeof(*cb));
	if (!cb)
		return -XEN_ENOMEM;
	cb->fn = fn;
	cb->arg = arg;
	cb->list = (unsigned)list;
	state = os_spin_lock(&s->lock);
	if (s->tail[list])
		s->tail[list]->next = cb;
	else
		s->head[list] = cb;
	s->tail[list] = cb;
	os_spin_unlock(&s->lock, state);
	*out = cb;
	return XEN_OK;
}

/* Lock held, no walk under way. */
static void suspend_unlink_locked(struct suspend *s, struct suspend_callback *cb)
{
	struct suspend_callback **link = &s->head[cb->list], *prev = NULL;

	while (*link && *link != cb) {
		prev = *link;
		link = &(*link)->next;
	}
	if (!*link)
		BUG("SUSPEND CALLBACK NOT REGISTERED");
	*link = cb->next;
	if (s->tail[cb->list] == cb)
		s->tail[cb->list] = prev;
}

void suspend_deregister(struct suspend *s, struct suspend_callback *cb)
{
	os_lock_state state;
	bool wait;

	if (!cb)
		return;
	state = os_spin_lock(&s->lock);
	if (cb->dead)
		BUG("SUSPEND CALLBACK DEREGISTERED TWICE");
	if (s->walking) {
		cb->dead = true;
		s->dead_pending = true;
		wait = s->running == cb && s->running_cpu != os_cpu_current();
		os_spin_unlock(&s->lock, state);
		/* The caller may free arg once we return. */
		while (wait && __atomic_load_n(&s->running, __ATOMIC_ACQUIRE) == cb)
			os_delay_ns(1000);
		return;
	}
	suspend_unlink_locked(s, cb);
	os_spin_unlock(&s->lock, state);
	os_free(cb);
}

/* Run one list in order. Records added during the walk wait for the next
 * suspend. */
static void suspend_walk(struct suspend *s, unsigned list)
{
	struct suspend_callback *cb, *last;
	os_lock_state state;

	state = os_spin_lock(&s->lock);
	last = s->tail[list];
	for (cb = last ? s->head[list] : NULL; cb; cb = cb->next) {
		if (!cb->dead) {
			__atomic_store_n(&s->running, cb, __ATOMIC_RELEASE);
			s->running_cpu = os_cpu_current();
			os_spin_unlock(&s->lock, state);
			cb->fn(cb->arg);
			state = os_spin_lock(&s->lock);
			__atomic_store_n(&s->running, NULL, __ATOMIC_RELEASE);
		}
		if (cb == last)
			break;
	}
	os_spin_unlock(&s->lock, state);
}

/* End of a trigger: free what was deregistered during the walks. */
static void suspend_reap(struct suspend *s)
{
	struct suspend_callback *dead = NULL, *cb, *next;
	os_lock_state state;
	unsigned i;

	state = os_spin_lock(&s->lock);
	if (--s->walking == 0 && s->dead_pending) {
		s->dead_pending = false;
		for (i = 0; i < 2; i++) {
			for (cb = s->head[i]; cb; cb = next) {
				next = cb->next;
				if (!cb->dead)
					continue;
				suspend_unlink_locked(s, cb);
				cb->next = dead;
				dead = cb;
			}
		}
	}
	os_spin_unlock(&s->lock, state);
	suspend_free_list(dead);
}

/* Classify the hypercall's result (outside input). */
static enum suspend_outcome suspend_classify(struct suspend *s, long rc)
{
	s->last_result = rc;
	if (rc == 1) {
		s->cancelled++;
		return SUSPEND_CANCELLED;
	}
	if (rc < 0) {
		s->failed++;
		return SUSPEND_FAILED;
	}
	if (rc != 0)
		s->bogus++;
	return SUSPEND_RESUMED;
}

xen_status suspend_trigger(struct suspend *s, enum suspend_outcome *outcome)
{
	struct sched_shutdown shutdown = { .reason = SHUTDOWN_suspend };
	enum suspend_outcome result;
	os_lock_state state;
	long rc;

	if (__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	state = os_spin_lock(&s->lock);
	s->walking++;
	os_spin_unlock(&s->lock, state);

	if (s->ops.quiesce)
		s->ops.quiesce(s->ops.ctx);
	rc = hypercall_sched_op(SCHEDOP_shutdown, &shutdown);
	result = suspend_classify(s, rc);
	if (result == SUSPEND_RESUMED) {
		__atomic_add_fetch(&s->count, 1, __ATOMIC_RELEASE);
		suspend_walk(s, 0);
	}
	if (s->ops.release)
		s->ops.release(s->ops.ctx);

	if (rc != 0 && rc != 1)
		log_printf(rc < 0 ? LOG_ERROR : LOG_WARNING,
			   "SUSPEND: SCHEDOP_shutdown returned %ld%s\n", rc,
			   rc < 0 ? " (not suspended)" : " (impossible: treated as resumed)");
	if (result == SUSPEND_RESUMED)
		suspend_walk(s, 1);
	suspend_reap(s);
	log_printf(LOG_INFO, "SUSPEND: %s (count %u)\n",
		   result == SUSPEND_RESUMED ? "RESUMED"
		   : result == SUSPEND_CANCELLED ? "CANCELLED" : "FAILED",
		   (unsigned)suspend_count(s));
	__atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE);
	if (outcome)
		*outcome = result;
	return result == SUSPEND_FAILED ? (xen_status)rc : XEN_OK;
}

uint32_t suspend_count(const struct suspend *s)
{
	return __atomic_load_n(&s->count, __ATOMIC_ACQUIRE);
}

unsigned suspend_registered(struct suspend *s, enum suspend_type type)
{
	struct suspend_callback *cb;
	os_lock_state state;
	int list = suspend_list_index(type);
	unsigned n = 0;

	if (list < 0)
		return 0;
	state = os_spin_lock(&s->lock);
	for (cb = s->head[list]; cb; cb = cb->next)
		n += !cb->dead;
	os_spin_unlock(&s->lock, state);
	return n;
}
