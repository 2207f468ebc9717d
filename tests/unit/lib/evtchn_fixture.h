/* Test and benchmark set-up: the model with shared info and event channels,
 * the core's hypercall page, shared info and event channel module. */
#ifndef XB_EVTCHN_FIXTURE_H
#define XB_EVTCHN_FIXTURE_H

#include "evtchn.h"
#include "sim_evtchn.h"

struct evtchn_fixture_opts {
	unsigned vcpus;		/* 0: 1 */
	bool force_2level;
	bool fifo_enosys;	/* Xen refuses EVTCHNOP_init_control */
	bool all_cpus_upcall;	/* every vCPU has its own upcall */
};

/* Returns the evtchn_init status (shared info and hypercalls must work). */
xen_status evtchn_fixture_up(const struct evtchn_fixture_opts *opts);
void evtchn_fixture_down(void);

#endif
