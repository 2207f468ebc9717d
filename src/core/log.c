/*
 * Log sinks: a fixed table of LOG_MAX_SINKS entries under one spin lock, so
 * a message reaches every sink in one piece and a removed sink is never
 * called after log_remove_sink returns.
 */
#include "compiler.h"
#include "log.h"

struct log_sink {
	int handle;		/* 0: free slot */
	uint32_t mask;
	uint16_t port;
	void (*write)(void *ctx, const char *buf, size_t len);	/* NULL: port sink */
	void *ctx;
};

static struct {
	os_spinlock lock;
	struct log_sink sinks[LOG_MAX_SINKS];
	uint32_t any_mask;	/* union of the masks: a lock-free fast path */
	unsigned generation;
	unsigned holder;	/* CPU + 1 holding the lock, 0: none */
	unsigned long dropped;
} log_state;

void log_init(void)
{
	__builtin_memset(&log_state, 0, sizeof(log_state));
	os_spin_init(&log_state.lock);
}

/* Taking the lock also records which CPU holds it, so that a message logged
 * by an interrupt or a sink on that CPU is dropped instead of deadlocking. */
static os_lock_state log_lock(void)
{
	os_lock_state st = os_spin_lock(&log_state.lock);

	WRITE_ONCE(log_state.holder, os_cpu_current() + 1);
	return st;
}

static void log_unlock(os_lock_state st)
{
	WRITE_ONCE(log_state.holder, 0);
	os_spin_unlock(&log_state.lock, st);
}

/* Lock held. */
static void log_update_any_mask(void)
{
	uint32_t any = 0;

	for (unsigned i = 0; i < LOG_MAX_SINKS; i++)
		if (log_state.sinks[i].handle)
			any |= log_state.sinks[i].mask;
	WRITE_ONCE(log_state.any_mask, any);
}

/* Handles keep the slot in their low LOG_SLOT_BITS bits. */
#define LOG_SLOT_BITS 3
_Static_assert(LOG_MAX_SINKS == 1u << LOG_SLOT_BITS, "log handles: slot bits");

/* Lock held. The handle encodes the slot and a generation so that a stale
 * handle never removes a sink added later in the same slot. */
static int log_new_handle(unsigned slot)
{
	log_state.generation = log_state.generation % 0x0fffffffu + 1;
	return (int)(log_state.generation << LOG_SLOT_BITS | slot);
}

static struct log_sink *log_find(int handle)
{
	unsigned slot = (unsigned)handle & (LOG_MAX_SINKS - 1);

	if (handle <= 0 || log_state.sinks[slot].handle != handle)
		return NULL;
	return &log_state.sinks[slot];
}

static xen_status log_add(const struct log_sink *proto, int *handle)
{
	os_lock_state st;
	xen_status rc = -XEN_ENOSPC;

	if (proto->mask == LOG_NONE)
		return -XEN_EINVAL;
	st = log_lock();
	for (unsigned i = 0; i < LOG_MAX_SINKS; i++) {
		struct log_sink *s = &log_state.sinks[i];

		if (s->handle)
			continue;
		*s = *proto;
		s->handle = log_new_handle(i);
		if (handle)
			*handle = s->handle;
		log_update_any_mask();
		rc = XEN_OK;
		break;
	}
	log_unlock(st);
	return rc;
}

xen_status log_add_port_sink(uint16_t port, uint32_t mask, int *handle)
{
	struct log_sink proto = { .mask = mask, .port = port };

	return log_add(&proto, handle);
}

xen_status log_add_sink(void (*write)(void *ctx, const char *buf, size_t len), void *ctx,
			uint32_t mask, int *handle)
{
	struct log_sink proto = { .mask = mask, .write = write, .ctx = ctx };

	if (!write)
		return -XEN_EINVAL;
	return log_add(&proto, handle);
}

void log_remove_sink(int handle)
{
	os_lock_state st = log_lock();
	struct log_sink *s = log_find(handle);

	if (s) {
		*s = (struct log_sink){ 0 };
		log_update_any_mask();
	}
	log_unlock(st);
}

xen_status log_set_sink_mask(int handle, uint32_t mask)
{
	os_lock_state st = log_lock();
	struct log_sink *s = log_find(handle);

	if (s) {
		s->mask = mask;
		log_update_any_mask();
	}
	log_unlock(st);
	return s ? XEN_OK : -XEN_ENOENT;
}

unsigned long log_dropped(void)
{
	return __atomic_load_n(&log_state.dropped, __ATOMIC_RELAXED);
}

/* A message cut at the slot's end still ends its line if the format did. */
static size_t log_fit(char *slot, size_t n, const char *fmt)
{
	size_t flen;

	if (n < LOG_SLOT_SIZE)
		return n;
	n = LOG_SLOT_SIZE - 1;
	flen = __builtin_strlen(fmt);
	if (flen && fmt[flen - 1] == '\n')
		slot[n - 1] = '\n';
	return n;
}

void log_vprintf(uint32_t level, const char *fmt, va_list ap)
{
	char slot[LOG_SLOT_SIZE];
	unsigned cpu;
	size_t n;
	os_lock_state st;

	if (!(READ_ONCE(log_state.any_mask) & level) || !fmt)
		return;
	/* The holder's CPU runs nothing but the holder and what interrupts it
	 * (or a sink logging): if that is us, taking the lock would deadlock. */
	cpu = os_cpu_current() + 1;
	if (READ_ONCE(log_state.holder) == cpu) {
		__atomic_fetch_add(&log_state.dropped, 1, __ATOMIC_RELAXED);
		return;
	}
	n = log_fit(slot, log_format(slot, sizeof(slot), fmt, ap), fmt);
	st = log_lock();
	for (unsigned i = 0; i < LOG_MAX_SINKS; i++) {
		struct log_sink *s = &log_state.sinks[i];

		if (!s->handle || !(s->mask & level))
			continue;
		if (s->write)
			s->write(s->ctx, slot, n);
		else
			os_outsb(s->port, slot, n);
	}
	log_unlock(st);
}

void log_printf(uint32_t level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}
