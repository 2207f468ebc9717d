/*
 * src/sim: an in-process model of the hypervisor side of the guest ABI, for
 * host tests. This file is its hub: CPUID leaves, the hypercall page MSR,
 * hypercall dispatch with fault injection, I/O ports and upcall delivery.
 * Each part of the ABI (event channels, grant tables, xenstored, ...) lives
 * in its own src/sim file and registers its handlers here.
 *
 * The model is single-instance and not thread-safe unless a part says so.
 * It never calls guest code from inside a hypercall: upcalls are delivered
 * from sim_poll (which the host OS services call whenever the core waits)
 * or when a test calls sim_deliver.
 */
#ifndef XB_SIM_H
#define XB_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "xen_abi.h"

#define SIM_MAX_VCPUS 64
#define SIM_HYPERCALLS 64	/* hypercall numbers 0..63 */
#define SIM_ANY_CMD (-1L)

struct sim_config {
	unsigned vcpus;		/* 1..SIM_MAX_VCPUS */
	uint32_t cpuid_base;	/* 0x40000000, or 0x40000100 behind Viridian */
	uint16_t xen_major;
	uint16_t xen_minor;
	bool no_xen;		/* CPUID shows no Xen signature */
	domid_t domid;
};

/* Start a fresh model (previous state discarded) and install it as the host
 * machine. NULL means: 1 vCPU, base 0x40000000, Xen 4.17, domid 1. */
void sim_init(const struct sim_config *config);
/* Tear the model down; every part's state is freed. */
void sim_fini(void);
const struct sim_config *sim_config(void);

/* A guest frame as the model sees it (host tests: frame = address >> 12). */
static inline void *sim_frame(uint64_t pfn)
{
	return (void *)(uintptr_t)(pfn << 12);
}

/* ---- hypercalls ---- */

/* Handler for hypercall `op`; args are the five guest arguments. */
typedef long (*sim_hypercall_fn)(const uintptr_t args[5]);
void sim_register_hypercall(unsigned op, sim_hypercall_fn fn);
/* Handler for one command (first argument) of a multiplexed hypercall
 * (memory_op, event_channel_op, grant_table_op, hvm_op, sched_op, vcpu_op,
 * xen_version). It takes precedence over the hypercall-wide handler, so each
 * part of the model registers only the commands it implements. At most 256. */
void sim_register_hypercall_cmd(unsigned op, long cmd, sim_hypercall_fn fn);

/* XENMEM_add_to_physmap is shared by several parts: each registers the
 * space it models (XENMAPSPACE_shared_info, XENMAPSPACE_grant_table, ...).
 * The handler gets the validated request. */
typedef long (*sim_physmap_fn)(struct xen_add_to_physmap *xatp);
void sim_register_physmap_space(unsigned space, sim_physmap_fn fn);

/* Fault injection: after `skip` matching calls pass, the next `count` calls of
 * hypercall `op` with first argument `cmd` (SIM_ANY_CMD: any) return
 * -xen_errno without reaching the handler. count 0 clears that rule. At most
 * 16 rules. */
void sim_fail(unsigned op, long cmd, int xen_errno, unsigned skip, unsigned count);
void sim_fail_clear(void);
/* Calls of `op` with first argument `cmd` (SIM_ANY_CMD: all) so far,
 * including failed ones. */
unsigned long sim_calls(unsigned op, long cmd);

/* ---- I/O ports ---- */

typedef uint32_t (*sim_port_in_fn)(uint16_t port, unsigned size);
typedef void (*sim_port_out_fn)(uint16_t port, unsigned size, uint32_t value);
/* Claim ports [first, first + count). Reads of unclaimed ports give
 * all-ones, writes are dropped. */
void sim_register_ports(uint16_t first, uint16_t count, sim_port_in_fn in,
			sim_port_out_fn out);

/* Bytes the guest wrote to the Xen debug port 0xE9 (NUL-terminated, the
 * last 64 KiB). sim_debug_clear empties it. */
const char *sim_debug_output(void);
void sim_debug_clear(void);

/* ---- upcalls ---- */

/* The guest's upcall entry (the interrupt handler of the real OS); the host
 * test harness sets it, normally to the core's evtchn upcall. */
typedef void (*sim_upcall_fn)(unsigned vcpu);
void sim_set_upcall(sim_upcall_fn fn);
/* Ask for an upcall on vcpu (parts call this when they raise
 * evtchn_upcall_pending). */
void sim_raise_upcall(unsigned vcpu);
/* Run the pending upcalls now, as host_set_cpu(vcpu) each; returns how many
 * ran. Called from sim_poll too. A part can veto delivery through
 * sim_set_upcall_gate (e.g. while the vCPU's upcall mask is set). */
unsigned sim_deliver(void);
typedef bool (*sim_upcall_gate_fn)(unsigned vcpu);
void sim_set_upcall_gate(sim_upcall_gate_fn gate);

/* Things to run from sim_poll (a backend answering a ring, ...). */
typedef void (*sim_poll_fn)(void);
void sim_register_poll(sim_poll_fn fn);
void sim_poll(void);

/* Parts register a teardown run by sim_fini and sim_init, in reverse order. */
void sim_register_fini(void (*fn)(void));

/* ---- hypercall page ---- */

/* Guest frame the hypercall page was installed at, or 0. */
uint64_t sim_hypercall_page_pfn(void);

#endif /* XB_SIM_H */
