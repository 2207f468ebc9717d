#include "debug.h"
#include "log.h"
#include "text.h"

struct debug_callback {
	struct debug_callback *next;
	debug_fn fn;
	void *arg;
	char prefix[DEBUG_PREFIX_MAX + 1];
};

void debug_init(struct debug *d, debug_vprintf_fn out, void *out_ctx)
{
	__builtin_memset(d, 0, sizeof(*d));
	os_spin_init(&d->lock);
	d->out = out;
	d->out_ctx = out_ctx;
}

xen_status debug_fini(struct debug *d)
{
	return debug_count(d) ? -XEN_EBUSY : XEN_OK;
}

xen_status debug_register(struct debug *d, const char *prefix, debug_fn fn, void *arg,
			  struct debug_callback **out)
{
	struct debug_callback *cb;
	os_lock_state s;

	if (!prefix || !fn || !out)
		return -XEN_EINVAL;
	cb = os_alloc(sizeof(*cb));
	if (!cb)
		return -XEN_ENOMEM;
	text_copy(cb->prefix, sizeof(cb->prefix), prefix);
	cb->fn = fn;
	cb->arg = arg;
	s = os_spin_lock(&d->lock);
	if (d->tail)
		d->tail->next = cb;
	else
		d->head = cb;
	d->tail = cb;
	d->count++;
	os_spin_unlock(&d->lock, s);
	*out = cb;
	return XEN_OK;
}

void debug_deregister(struct debug *d, struct debug_callback *cb)
{
	struct debug_callback **pp, *prev = NULL;
	bool found = false;
	os_lock_state s;

	if (!cb)
		return;
	s = os_spin_lock(&d->lock);
	for (pp = &d->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp == cb) {
			*pp = cb->next;
			if (d->tail == cb)
				d->tail = prev;
			d->count--;
			found = true;
			break;
		}
	}
	os_spin_unlock(&d->lock, s);
	/* A handle we do not hold is not ours to free. */
	if (found)
		os_free(cb);
}

unsigned debug_count(struct debug *d)
{
	os_lock_state s = os_spin_lock(&d->lock);
	unsigned n = d->count;

	os_spin_unlock(&d->lock, s);
	return n;
}

static void debug_emit(struct debug *d, const char *prefix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void debug_emit(struct debug *d, const char *prefix, const char *fmt, ...)
{
	va_list ap;

	if (!d->out)
		return;
	va_start(ap, fmt);
	d->out(d->out_ctx, prefix, fmt, ap);
	va_end(ap);
}

/* Run one callback, bracketed so a dump shows whose lines follow. */
static void debug_run(struct debug *d, struct debug_callback *cb, bool crashing)
{
	debug_emit(d, "DEBUG", "====> %s\n", cb->prefix);
	d->current = cb;
	cb->fn(cb->arg, crashing);
	d->current = NULL;
	debug_emit(d, "DEBUG", "<==== %s\n", cb->prefix);
}

xen_status debug_trigger(struct debug *d, struct debug_callback *cb)
{
	unsigned me = os_cpu_current() + 1;
	struct debug_callback *it;
	xen_status st = XEN_OK;
	os_lock_state s;

	/* Only this CPU can have stored its own number here. */
	if (READ_ONCE(d->running_cpu) == me)
		return -XEN_EDEADLK;
	s = os_spin_lock(&d->lock);
	d->running_cpu = me;
	if (cb) {
		for (it = d->head; it && it != cb; it = it->next)
			;
		if (it)
			debug_run(d, it, false);
		else
			st = -XEN_ENOENT;
	} else {
		for (it = d->head; it; it = it->next)
			debug_run(d, it, false);
	}
	d->running_cpu = 0;
	os_spin_unlock(&d->lock, s);
	return st;
}

void debug_crash(struct debug *d)
{
	struct debug_callback *it;

	d->running_cpu = os_cpu_current() + 1;
	for (it = d->head; it; it = it->next)
		debug_run(d, it, true);
	d->running_cpu = 0;
}

void debug_vprintf(struct debug *d, const char *fmt, va_list ap)
{
	struct debug_callback *cb = d->current;

	if (!cb || !d->out || READ_ONCE(d->running_cpu) != os_cpu_current() + 1)
		return;
	d->out(d->out_ctx, cb->prefix, fmt, ap);
}

void debug_printf(struct debug *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	debug_vprintf(d, fmt, ap);
	va_end(ap);
}

void debug_log_out(void *ctx, const char *prefix, const char *fmt, va_list ap)
{
	char text[LOG_SLOT_SIZE];

	(void)ctx;
	log_format(text, sizeof(text), fmt, ap);
	log_printf(LOG_INFO, "%s: %s", prefix, text);
}
