/*
 * Domain watchdog (SCHEDOP_watchdog), interfaces.md 5 (XEN:WATCHDOG) and 6.1.
 *
 * Xen resets the domain when the watchdog is not poked within its timeout.
 * The integration binds VIRQ_TIMER on every CPU with a periodic timer of
 * timeout/2 (watchdog_cpu_timer) and calls watchdog_tick from each CPU's
 * timer callback. The watchdog is poked only once every CPU has ticked since
 * the last poke, so a CPU that stops taking timer events (stalled, or event
 * delivery broken) lets Xen reset the domain.
 */
#ifndef XB_WATCHDOG_H
#define XB_WATCHDOG_H

#include "compiler.h"
#include "status.h"

#define WATCHDOG_MIN_S 10

struct watchdog {
	os_spinlock lock;
	uint32_t id;		/* Xen's watchdog id, 0 while not armed */
	uint32_t timeout_s;
	unsigned ncpus;
	uint32_t *ticks;	/* per CPU: timer events seen */
	uint32_t *seen;		/* per CPU: ticks at the last poke */
	uint64_t pokes;
	unsigned poke_errors;
	xen_status last_error;	/* of the last failed poke */
};

/* The effective timeout for an XEN:WATCHDOG value: 0 stays 0 (off), 1..9
 * become WATCHDOG_MIN_S. */
uint32_t watchdog_timeout(uint32_t option_s);
/* Period of each CPU's timer for a timeout: half of it, in ns. */
uint64_t watchdog_period_ns(uint32_t timeout_s);

/* Zero state. Once, before anything else. */
void watchdog_init(struct watchdog *wd);
/* Arm Xen's watchdog with watchdog_timeout(option_s) for `ncpus` CPUs
 * (os_cpu_count() normally). -XEN_EINVAL for a 0 timeout or 0 CPUs,
 * -XEN_EBUSY if already armed, -XEN_ENOMEM, Xen's error, or -XEN_EIO if Xen
 * returned an impossible id. Thread context. */
xen_status watchdog_start(struct watchdog *wd, uint32_t option_s, unsigned ncpus);
/* A timer event on `cpu` (any context, typically the VIRQ_TIMER callback).
 * Pokes Xen when every CPU has ticked since the last poke. Returns XEN_OK,
 * -XEN_ENOTCONN when not armed, -XEN_ERANGE for a bad cpu, or the poke's
 * error (also counted in poke_errors). */
xen_status watchdog_tick(struct watchdog *wd, unsigned cpu);
/* Destroy Xen's watchdog and free the state (D3, unload). Thread context. */
xen_status watchdog_stop(struct watchdog *wd);
/* After a completed resume (a new domain instance has no watchdog): arm a
 * fresh one with the same timeout; the tick state starts over. */
xen_status watchdog_resume(struct watchdog *wd);

/* Program (period_ns != 0) or stop (0) vCPU `vcpu`'s periodic timer, which
 * raises VIRQ_TIMER. Xen's error passes through. */
xen_status watchdog_cpu_timer(unsigned vcpu, uint64_t period_ns);

#endif /* XB_WATCHDOG_H */
