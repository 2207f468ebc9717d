/*
 * PV console: the guest end of the console ring (struct xencons_interface,
 * xen/io/console.h) shared with xenconsoled. The guest produces `out` and
 * consumes `in`. The backend's indices are read once per operation and
 * validated; our own indices are kept privately and only written to the
 * page, never read back, so a backend cannot move them. A backend that
 * breaks the ring (more data claimed than the ring holds) puts the console
 * in a sticky error state until the next enable.
 *
 * The console knows nothing of event channels: it takes a notify function
 * (EVTCHNOP_send on the console port, wired by the integration) and the
 * integration calls console_event from the port's callback.
 */
#ifndef XB_CONSOLE_H
#define XB_CONSOLE_H

#include "compiler.h"
#include "status.h"

struct console_wakeup;

struct console {
	os_spinlock lock;
	struct xencons_interface *ring;
	void (*notify)(void *ctx);
	void *notify_ctx;
	XENCONS_RING_IDX out_prod;	/* private copies of our indices */
	XENCONS_RING_IDX in_cons;
	xen_status error;		/* sticky; XEN_OK while healthy */
	struct console_wakeup *wakeups;
	/* Statistics, under the lock. */
	uint64_t bytes_out, bytes_in, notifies;
	uint64_t dropped;		/* log sink bytes lost to a full ring */
};

/* Initialise `c` (disabled, no wakeups). Thread context, once. */
void console_init(struct console *c);

/* Attach to a mapped ring page; notify(ctx) tells the backend about new
 * output or freed input space. Seeds our indices from the page and checks
 * them: -XEN_EIO if the page holds impossible indices, -XEN_EINVAL on NULL
 * arguments. Also sets every wakeup (the initial poll). Call again after
 * resume. Any context up to DISPATCH. */
xen_status console_enable(struct console *c, struct xencons_interface *ring,
			  void (*notify)(void *ctx), void *ctx);
/* Detach; later reads and writes do nothing until console_enable. */
void console_disable(struct console *c);

/* Write up to len bytes; *done gets the count actually queued, which can
 * be short (ring full) or 0. Notifies the backend when *done > 0.
 * -XEN_ENOTCONN when disabled, the sticky error when the ring is broken.
 * Any context (the ring is guarded by a spin lock). */
xen_status console_write(struct console *c, const void *data, size_t len, size_t *done);
/* Read up to len bytes of input; *done gets the count. Notifies the backend
 * when anything was consumed. Same statuses as console_write. */
xen_status console_read(struct console *c, void *buf, size_t len, size_t *done);

/* True if input is waiting / output space is free (false when disabled or
 * broken). Any context. */
bool console_can_read(struct console *c);
bool console_can_write(struct console *c);
/* XEN_OK, -XEN_ENOTCONN (disabled) or the sticky ring error. */
xen_status console_status(struct console *c);

/* Register an event set by every console_event. The record is allocated
 * (-XEN_ENOMEM) and owned by the console until console_wakeup_remove.
 * Thread context or DISPATCH. */
xen_status console_wakeup_add(struct console *c, os_event *event, struct console_wakeup **out);
void console_wakeup_remove(struct console *c, struct console_wakeup *w);
/* Registered wakeups (the interface's Release checks none remain). */
unsigned console_wakeup_count(struct console *c);

/* The console port fired (call from its deferred callback): sets every
 * registered wakeup event. */
void console_event(struct console *c);

/* Log sink adapter (the signature of log_add_sink's write): ctx is a
 * struct console. Converts LF to CRLF and writes what fits; bytes that do
 * not fit are counted in `dropped`, never waited for (a log sink may run
 * with interrupts off). */
void console_log_write(void *ctx, const char *buf, size_t len);

/* Where the toolstack put the console: HVM_PARAM_CONSOLE_PFN and
 * HVM_PARAM_CONSOLE_EVTCHN (the Windows bus finds the frame through grant
 * reference 0 instead and uses only the port). -XEN_ENOENT when a value is 0
 * (no console set up), -XEN_ERANGE when the port does not fit an
 * evtchn_port_t, or the hypercall's error. pfn may be NULL. */
xen_status console_locate(uint64_t *pfn, evtchn_port_t *port);

#endif /* XB_CONSOLE_H */
