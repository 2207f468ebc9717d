/*
 * Debug callbacks (the DEBUG interface, interfaces.md 1.4): a registry of
 * functions that dump state on demand. Triggers: debug_trigger (the
 * interface's Trigger, and the integration's VIRQ_DEBUG callback with NULL
 * = all), and debug_crash from the bug check callback.
 *
 * Output goes through the vprintf sink given to debug_init (the integration
 * wires it to the logger at INFO); each line a callback prints is prefixed
 * with the callback's prefix.
 */
#ifndef XB_DEBUG_H
#define XB_DEBUG_H

#include <stdarg.h>

#include "compiler.h"
#include "status.h"

#define DEBUG_PREFIX_MAX 31

typedef void (*debug_fn)(void *arg, bool crashing);
typedef void (*debug_vprintf_fn)(void *ctx, const char *prefix, const char *fmt, va_list ap);

struct debug_callback;

struct debug {
	os_spinlock lock;
	struct debug_callback *head, *tail;
	unsigned count;
	/* The callback running now and the CPU it runs on (+1; 0: none). */
	struct debug_callback *current;
	volatile unsigned running_cpu;
	debug_vprintf_fn out;
	void *out_ctx;
};

/* Empty registry printing through out(out_ctx, ...). Once, thread context. */
void debug_init(struct debug *d, debug_vprintf_fn out, void *out_ctx);
/* -XEN_EBUSY (nothing freed) while callbacks remain: the interface's last
 * Release turns that into a bug check. */
xen_status debug_fini(struct debug *d);

/* Append a callback; the prefix is copied and cut at DEBUG_PREFIX_MAX
 * characters. -XEN_EINVAL (NULL fn, prefix or out), -XEN_ENOMEM. Up to
 * DISPATCH. */
xen_status debug_register(struct debug *d, const char *prefix, debug_fn fn, void *arg,
			  struct debug_callback **out);
/* Unlink and free; an unknown handle is left alone. Not from inside a
 * callback. */
void debug_deregister(struct debug *d, struct debug_callback *cb);
unsigned debug_count(struct debug *d);

/* Run one callback (cb) or all in registration order (NULL) with
 * crashing=false, under the registry lock (callbacks must not register,
 * deregister or trigger). -XEN_EDEADLK if called from inside a callback on
 * this CPU, -XEN_ENOENT if cb is not registered. Any context. */
xen_status debug_trigger(struct debug *d, struct debug_callback *cb);
/* Run every callback with crashing=true without taking the lock (the
 * system is stopping; the lock may be held by a CPU that will never run
 * again). Bug check callback only. */
void debug_crash(struct debug *d);

/* Print a line as the running callback: "<prefix>: " + text. Ignored
 * outside a callback. */
void debug_printf(struct debug *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void debug_vprintf(struct debug *d, const char *fmt, va_list ap);

/* The usual output for debug_init: "<prefix>: <text>" to the logger at
 * LOG_INFO (interfaces.md 1.4), truncated to one log slot. ctx unused. */
void debug_log_out(void *ctx, const char *prefix, const char *fmt, va_list ap);

#endif /* XB_DEBUG_H */
