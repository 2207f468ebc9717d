/*
 * Host implementation of the OS services (src/core/os.h) for unit tests.
 * Machine access (CPUID, MSRs, hypercalls, ports) is forwarded to a machine
 * model, normally src/sim, installed with host_set_machine.
 */
#ifndef XB_HOST_H
#define XB_HOST_H

#include "os.h"

struct host_machine {
	void (*cpuid)(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
	void (*wrmsr)(uint32_t msr, uint64_t value);
	long (*hypercall)(const void *entry, const uintptr_t args[5]);
	uint32_t (*port_in)(uint16_t port, unsigned size);
	void (*port_out)(uint16_t port, unsigned size, uint32_t value);
	/* Called whenever the core waits (os_event_wait, os_delay_ns): the model
	 * delivers pending upcalls and answers pending requests here. */
	void (*poll)(void);
};

/* Install (or with NULL remove) the machine model. Without one, CPUID reads
 * zeros, ports read all-ones, hypercalls fail with -ENOSYS. */
void host_set_machine(const struct host_machine *machine);

/* The CPU the calling thread runs as (os_cpu_current), and the count. */
void host_set_cpu(unsigned cpu);
void host_set_cpu_count(unsigned count);

/* Run queued deferred work (os_work) in FIFO order, including work queued
 * while running, until the queue is empty. Returns how many items ran. */
unsigned host_run_work(void);
/* Items queued and not yet run. */
unsigned host_pending_work(void);

/* Fault injection for os_alloc and os_page_alloc: after `skip` successful
 * allocations, the next `count` fail. host_alloc_fail(0, 0) turns it off. */
void host_alloc_fail(unsigned skip, unsigned count);
/* Live allocations (os_alloc + os_page_alloc) not freed yet. */
long host_live_allocations(void);

/* Virtual time: when on, os_time_ns only moves by host_time_advance and by
 * os_delay_ns/os_event_wait, so timeouts are deterministic. Off by default. */
void host_time_virtual(bool on);
void host_time_advance(uint64_t ns);

/* Spin locks held by the calling thread right now (tests assert that
 * callbacks run with none held). */
unsigned host_locks_held(void);

/* Reset everything above to defaults (machine removed, CPU 0 of 1, queue
 * emptied without running, fault injection and virtual time off). */
void host_reset(void);

#endif /* XB_HOST_H */
