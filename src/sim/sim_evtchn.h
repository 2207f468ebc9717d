/*
 * Model of shared info and event channels (both ABIs) for host tests.
 *
 * Shared info: XENMAPSPACE_shared_info maps a guest frame as the shared page;
 * wallclock and per-vCPU time are set by tests. Event channels: per-port
 * state for the guest domain, 2-level pending/mask bits in shared info and
 * selectors in vcpu_info, FIFO event words in guest event-array pages and
 * queues in guest control blocks (the Xen linking protocol, BUSY included),
 * and remote domains whose ports can send to and receive from the guest.
 */
#ifndef XB_SIM_EVTCHN_H
#define XB_SIM_EVTCHN_H

#include "sim.h"

/* ---- shared info ---- */

/* Register the XENMAPSPACE_shared_info space and the upcall gate (no upcall
 * while the vCPU's evtchn_upcall_mask is set). Call after sim_init. */
void sim_shared_info_init(void);
/* The mapped shared page, or NULL. */
struct shared_info *sim_shared_info(void);
/* Set the wallclock / a vCPU's time record with Xen's version protocol. */
void sim_shared_info_set_wallclock(uint64_t sec, uint32_t nsec);
void sim_shared_info_set_time(unsigned vcpu, uint64_t system_time, uint64_t tsc_timestamp,
			      uint32_t mul, int8_t shift);

/* A new domain instance (restore, migration): the mapping is lost (the
 * guest must map shared info again); wallclock and vCPU time survive,
 * pending/mask bits and selectors start clear. */
void sim_shared_info_new_domain(void);

/* ---- event channels ---- */

struct sim_evtchn_config {
	unsigned max_ports;	/* 0: the ABI's limit (2L) / 1 << 17 (FIFO) */
};

/* Register every EVTCHNOP the model implements (needs sim_shared_info_init
 * for 2-level delivery). NULL config: defaults. */
void sim_evtchn_init(const struct sim_evtchn_config *config);

/* Which ABI the domain is in (true after a successful init_control). */
bool sim_evtchn_fifo_active(void);

/* Remote ends. A remote port lives in domain `dom` (!= the guest). */
/* Allocate a remote port that accepts a binding from the guest (for the
 * guest's EVTCHNOP_bind_interdomain). Returns the remote port or 0. */
evtchn_port_t sim_evtchn_remote_alloc_unbound(domid_t dom);
/* The toolstack allocates a guest port unbound for dom (as it does for the
 * store and console). Returns the local port or 0. */
evtchn_port_t sim_evtchn_local_alloc_unbound(domid_t dom);
/* The remote side binds to the guest's unbound local port. Returns the
 * remote port, 0 if the local port is not unbound for dom. */
evtchn_port_t sim_evtchn_remote_bind(domid_t dom, evtchn_port_t local_port);
/* The remote end of the guest's local port sends (as EVTCHNOP_send would
 * from the peer). False if local_port is not interdomain-connected. */
bool sim_evtchn_remote_send(evtchn_port_t local_port);
/* Events the guest sent to the remote end of local_port, and whether the
 * remote end echoes each one back at once. */
unsigned long sim_evtchn_remote_received(evtchn_port_t local_port);
void sim_evtchn_remote_echo(evtchn_port_t local_port, bool on);
/* The remote end closes its port (the guest's end becomes unbound). */
void sim_evtchn_remote_close(evtchn_port_t local_port);

/* Raise a VIRQ on vcpu (for global VIRQs: whichever vcpu it is bound to;
 * pass 0). False if nothing is bound. */
bool sim_evtchn_raise_virq(uint32_t virq, unsigned vcpu);
/* Mark a local port pending exactly as Xen's set_pending would (tests and
 * benchmarks pre-load events this way). False if the port is not in use. */
bool sim_evtchn_set_pending(evtchn_port_t port);

/* A new domain instance: every port is closed and every remote end
 * forgotten, FIFO control blocks and event array pages are dropped (2-level
 * again). Ports are then allocated from first_port up (0: 1), so numbers
 * of the old instance are not handed out again by accident. */
void sim_evtchn_new_domain(evtchn_port_t first_port);

/* Introspection for tests. */
uint32_t sim_evtchn_status(evtchn_port_t port);	/* EVTCHNSTAT_* */
unsigned sim_evtchn_vcpu(evtchn_port_t port);
unsigned sim_evtchn_priority(evtchn_port_t port);
unsigned sim_evtchn_ports_in_use(void);
unsigned sim_evtchn_fifo_array_pages(void);
/* The control block Xen uses for vcpu (tests forge bad queue state). */
struct evtchn_fifo_control_block *sim_evtchn_fifo_control_block(unsigned vcpu);
/* The FIFO event word of port in the guest's array, NULL if not mapped. */
event_word_t *sim_evtchn_fifo_word(evtchn_port_t port);

#endif /* XB_SIM_EVTCHN_H */
