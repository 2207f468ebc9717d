/*
 * Toolstack shutdown requests (xenstore control/shutdown, interfaces.md 6.1)
 * and crash reporting to Xen (7.3).
 *
 * shutdown_parse is a pure function of the untrusted value. shutdown_handle
 * is the small driver the control/shutdown watch runs: it reaches xenstore,
 * suspend and the OS only through the callbacks it is given.
 */
#ifndef XB_SHUTDOWN_H
#define XB_SHUTDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "status.h"

#define SHUTDOWN_NODE "control/shutdown"
/* Longest value considered; anything longer is malformed. */
#define SHUTDOWN_VALUE_MAX 32

enum shutdown_action {
	SHUTDOWN_ACTION_NONE,		/* "" or absent: nothing asked (or already acknowledged) */
	SHUTDOWN_ACTION_SUSPEND,	/* "suspend" */
	SHUTDOWN_ACTION_POWEROFF,	/* "poweroff" */
	SHUTDOWN_ACTION_REBOOT,		/* "reboot" */
	SHUTDOWN_ACTION_HALT,		/* "halt" */
	SHUTDOWN_ACTION_UNKNOWN,	/* well-formed but not ours ("s3", "crash", ...) */
	SHUTDOWN_ACTION_INVALID,	/* too long, non-printable bytes, embedded NUL */
};

/* Classify value[0..len) (need not be NUL-terminated). Exact,
 * case-sensitive words. Never fails. */
enum shutdown_action shutdown_parse(const char *value, size_t len);
/* "NONE", "SUSPEND", ... for logs. */
const char *shutdown_action_name(enum shutdown_action action);

struct shutdown_ops {
	void *ctx;
	/* Read SHUTDOWN_NODE into buf (size bytes); *len gets the value's full
	 * length, which may exceed size. -XEN_ENOENT when absent. */
	xen_status (*read)(void *ctx, const char *node, char *buf, size_t size, size_t *len);
	/* Write value to node (the acknowledgement writes ""). */
	xen_status (*write)(void *ctx, const char *node, const char *value);
	/* Optional: take the right to suspend now (upstream: the balloon mutex,
	 * without blocking); false means busy. suspend_unlock undoes it. */
	bool (*suspend_trylock)(void *ctx);
	void (*suspend_unlock)(void *ctx);
	/* Suspend the domain (SUSPEND Trigger). */
	xen_status (*suspend)(void *ctx);
	/* Optional: poweroff/reboot/halt for the OS layer. Returns true if it
	 * takes the request, which is then acknowledged; false leaves the value
	 * for whoever else handles it (upstream: the guest agent). */
	bool (*report)(void *ctx, enum shutdown_action action);
};

/* Handle one firing of the control/shutdown watch. *seen (optional) gets
 * what was found. Suspend: acknowledge, then suspend; -XEN_EAGAIN (and no
 * acknowledgement) if suspend_trylock says busy; a failed acknowledgement
 * is returned and no suspend happens. Unknown and invalid values are
 * ignored (XEN_OK). Thread context. */
xen_status shutdown_handle(const struct shutdown_ops *ops, enum shutdown_action *seen);

/* Latch SHUTDOWN_crash with Xen (SCHEDOP_shutdown_code): the toolstack sees
 * a crash when the domain later stops. Any context, including a bug check
 * callback. */
xen_status shutdown_report_crash(void);
/* SCHEDOP_shutdown with `reason` (poweroff, reboot, crash, watchdog,
 * soft_reset); on real Xen it does not return on success. -XEN_EINVAL for
 * SHUTDOWN_suspend (the suspend path owns that) or an unknown reason. */
xen_status shutdown_domain(unsigned reason);

#endif /* XB_SHUTDOWN_H */
