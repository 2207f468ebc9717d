/*
 * Model of the domain's scheduling operations that end or watch its life:
 * SCHEDOP_shutdown, SCHEDOP_shutdown_code (latched reason, as Xen's
 * domain_shutdown uses it), SCHEDOP_watchdog (Xen's two domain watchdog
 * timers, on a virtual clock), and VCPUOP_set/stop_periodic_timer.
 * A "shutdown" only records what Xen would do; the host test continues.
 */
#ifndef XB_SIM_SCHED_H
#define XB_SIM_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_WATCHDOGS 2		/* NR_DOMAIN_WATCHDOG_TIMERS */

/* Register the handlers (after sim_init). */
void sim_sched_init(void);

/* Shutdowns that took effect, the effective reason of the last one (-1:
 * none) and the latched code (-1: none). */
unsigned sim_sched_shutdowns(void);
int sim_sched_last_shutdown(void);
int sim_sched_latched_code(void);
/* What SCHEDOP_shutdown(SHUTDOWN_suspend) returns: 0 resumed (default),
 * 1 cancelled. */
void sim_sched_set_suspend_result(long result);
/* When set, SCHEDOP_shutdown(SHUTDOWN_suspend) returns hook() instead (the
 * suspend model, sim_suspend.h, decides the outcome and rebuilds the
 * domain there). NULL: back to the fixed result. */
void sim_sched_set_suspend_hook(long (*hook)(void));
/* A new domain instance (restore/migration): no watchdog, no periodic
 * timer, no latched code. */
void sim_sched_new_domain(void);

/* Virtual clock: advancing past an armed watchdog's expiry shuts the domain
 * down with SHUTDOWN_watchdog (a reset for the toolstack) and clears every
 * watchdog, as a fresh domain has none. */
void sim_sched_advance_ns(uint64_t ns);
uint64_t sim_sched_now_ns(void);
unsigned sim_sched_watchdog_resets(void);
/* Whether watchdog `id` (1-based) is armed, and when it expires. */
bool sim_sched_watchdog_armed(unsigned id, uint64_t *expiry_ns);
/* Successful SCHEDOP_watchdog calls that re-armed an existing timer. */
unsigned long sim_sched_watchdog_pokes(void);

/* Periodic timer period of a vCPU in ns, 0 when stopped. */
uint64_t sim_sched_periodic_ns(unsigned vcpu);

#endif /* XB_SIM_SCHED_H */
