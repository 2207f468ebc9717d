/*
 * The toolstack's side of the guest domain and of its suspend/resume:
 * store and console rings and ports published through HVM params, and
 * what SCHEDOP_shutdown(SHUTDOWN_suspend) does.
 *
 * Outcomes: NEW_DOMAIN (restore or migration, result 0): shared info
 * unmapped, every event channel closed and FIFO forgotten (ports of the new
 * instance start at plan.first_port), grant frames unplaced and backend
 * mappings dropped, no watchdog or periodic timer, and a new xenstored
 * connection (new ring frame and port; the daemon keeps the tree but forgets
 * the guest's watches and transactions) and a new console port (same ring
 * frame). CANCEL (result 1): nothing changes. FAIL: the hypercall returns
 * -plan.fail_errno and nothing changes. SAME_DOMAIN: nothing changes but
 * plan.result is returned (a hypervisor saying something impossible).
 */
#ifndef XB_SIM_SUSPEND_H
#define XB_SIM_SUSPEND_H

#include "sim.h"

enum sim_suspend_mode {
	SIM_SUSPEND_NEW_DOMAIN,
	SIM_SUSPEND_CANCEL,
	SIM_SUSPEND_FAIL,
	SIM_SUSPEND_SAME_DOMAIN,	/* nothing changes, plan.result returned */
};

struct sim_suspend_plan {
	enum sim_suspend_mode mode;
	evtchn_port_t first_port;	/* NEW_DOMAIN: lowest new port (0: 1) */
	long result;			/* NEW_DOMAIN, SAME_DOMAIN: what the guest sees */
	int fail_errno;			/* FAIL */
};

/* Set up store and console as the toolstack does (needs sim_init and the
 * shared info, event channel, grant table, sched, HVM param, xenstore and
 * console models) and take over SHUTDOWN_suspend. The plan starts as
 * NEW_DOMAIN, first_port 0, result 0. */
void sim_suspend_init(void);
void sim_suspend_set_plan(const struct sim_suspend_plan *plan);

/* Called inside every suspend, while the domain is down and before the new
 * instance is built: the toolstack may change xenstore (events fired now
 * go to the old connection and are lost, as on real Xen). NULL: none. */
void sim_suspend_set_window(void (*fn)(void *ctx), void *ctx);

/* Suspend hypercalls seen, and those that built a new domain instance. */
unsigned sim_suspend_calls(void);
unsigned sim_suspend_new_domains(void);
/* Current store and console ports of the guest (what the HVM params say). */
evtchn_port_t sim_suspend_store_port(void);
evtchn_port_t sim_suspend_console_port(void);

#endif /* XB_SIM_SUSPEND_H */
