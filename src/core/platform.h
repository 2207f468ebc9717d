/*
 * Platform: the one bring-up of the core that every home uses (the Windows
 * FDO, the PVH test kernel, host tests), its teardown, and the rebuild of
 * every module after a suspend.
 *
 * Bring-up order: detect -> hypercall page -> version check -> shared info
 * -> event channels (FIFO unless forced off) -> grant table -> xenstore
 * (ring from HVM_PARAM_STORE_PFN, port from HVM_PARAM_STORE_EVTCHN, wrapped
 * as a FIXED channel whose callback feeds the store) -> PV console
 * (HVM_PARAM_CONSOLE_PFN/EVTCHN, optional) -> watchdog (XEN:WATCHDOG) ->
 * balloon (optional) -> the platform's own suspend callbacks (registered
 * first, so they run before any client's) -> the control/shutdown watch
 * (optional). Any failure unwinds what was done, in reverse.
 *
 * After a resume (suspend.h), in order:
 *  early (CPU 0, quiesced): shared info re-mapped; emulated-device unplug
 *   replayed; grant frames put back; every event channel marked inactive
 *   and the ABI chosen again; the store stopped (transactions and watch
 *   registrations dropped); the console detached.
 *  late (thread context): store port re-read and re-opened, ring re-read
 *   and reattached (requests that were on the old ring fail or are retried,
 *   every watch is registered again and fires once); console re-attached
 *   on its new port; watchdog re-armed with fresh timer VIRQs;
 *   control/feature-suspend and control/feature-balloon written again and
 *   the balloon target looked at again.
 * Then the clients' callbacks: they reopen their channels (the old handles
 * are inactive: close them, which frees without touching Xen) and grant
 * again (a new domain's grant table is empty, see gnttab_resume; the
 * entries are still theirs and revoke cleanly).
 */
#ifndef XB_PLATFORM_H
#define XB_PLATFORM_H

#include "balloon.h"
#include "console.h"
#include "detect.h"
#include "evtchn.h"
#include "gnttab.h"
#include "options.h"
#include "shutdown.h"
#include "store.h"
#include "suspend.h"
#include "unplug.h"
#include "watchdog.h"

/* Most CPUs given a watchdog timer VIRQ. */
#define PLATFORM_MAX_CPUS 128

struct platform_config {
	struct options options;		/* XEN:WATCHDOG (XEN:BALLOON: see above) */
	bool force_2level;		/* keep the 2-level event ABI */
	unsigned upcall_cpus;		/* CPUs 0..n-1 have their own upcall (0: 1) */
	/* Guest frame to virtual address for the store and console rings
	 * (Windows: MmMapIoSpace; test kernel and host: identity). Required.
	 * unmap may be NULL. */
	void *(*map_frame)(void *ctx, uint64_t pfn);
	void (*unmap_frame)(void *ctx, void *va);
	void *map_ctx;
	const struct gnttab_frame_ops *gnttab_ops;	/* NULL: OS pages */
	const struct suspend_ops *suspend_ops;		/* NULL: no quiesce hooks */
	bool no_console;		/* do not attach the PV console */
	/* Emulated devices to unplug again on every resume (the boot-time
	 * decision; unplug_init must have run). */
	bool unplug[UNPLUG_TYPES];
	uint32_t unplug_build;
	uint64_t store_timeout_ns;	/* 0: the store's default */
	/* Advertise control/feature-suspend and suspend when the toolstack
	 * writes "suspend" to control/shutdown (what the FDO does at D0; the
	 * test kernel needs it for xl save/migrate). shutdown_report: see
	 * shutdown.h (NULL: poweroff/reboot/halt are left to others). */
	bool shutdown_watch;
	bool (*shutdown_report)(void *ctx, enum shutdown_action action);
	/* The balloon's OS pages (balloon_ops.pages_alloc/free, with
	 * balloon_ctx); NULL: no balloon. XEN:BALLOON=OFF also means none. */
	size_t (*balloon_pages_alloc)(void *ctx, uint64_t *pfns, size_t count);
	void (*balloon_pages_free)(void *ctx, const uint64_t *pfns, size_t count);
	void *balloon_ctx;
};

struct platform {
	struct platform_config cfg;
	struct detect_info detect;
	struct detect_version version;
	struct suspend suspend;
	struct suspend_callback *early_cb, *late_cb;
	unsigned steps;			/* bring-up steps done */

	struct store *store;
	struct evtchn_channel *store_ch;
	void *store_page;		/* struct xenstore_domain_interface */
	uint64_t store_pfn;

	struct console console;
	struct evtchn_channel *console_ch;
	void *console_page;
	uint64_t console_pfn;
	bool console_up;

	struct watchdog watchdog;
	struct evtchn_channel *timer_ch[PLATFORM_MAX_CPUS];
	unsigned timer_cpus;

	struct store_watch *shutdown_watch;
	os_work shutdown_work;
	unsigned shutdown_suspends;	/* suspends the toolstack asked for */
	bool shutdown_deferred;		/* a request waits for the balloon */

	struct balloon *balloon;	/* NULL: none */
	struct store_watch *balloon_watch;
	os_work balloon_work;
	xen_status balloon_status;	/* of the last adjustment */

	xen_status resume_status;	/* first failure of the last rebuild */
	unsigned resumes;		/* rebuilds done */
	unsigned long store_events, console_events;
};

/* Bring the core up. XEN_OK, or the failing step's status with everything
 * undone: -XEN_EEXIST (a platform is up already: the core's modules are
 * single-instance), -XEN_ENODEV (no Xen), -XEN_EINVAL (bad config), -XEN_ENOENT /
 * -XEN_ERANGE (the toolstack gave no or an impossible store frame/port),
 * -XEN_ENOMEM, a hypercall's status. Thread context, once per image. */
xen_status platform_init(struct platform *p, const struct platform_config *cfg);
/* Tear everything down (nothing if p is not up). Clients must have closed their channels, removed
 * their watches, destroyed their grant caches and deregistered their
 * suspend callbacks first. Thread context. */
void platform_fini(struct platform *p);

/* Suspend the domain and rebuild (suspend_trigger); *outcome may be NULL.
 * XEN_OK when resumed and every module came back, or when cancelled; the
 * first rebuild failure (p->resume_status); the hypercall's status if it
 * failed; -XEN_EBUSY if a suspend is under way. Thread context. */
xen_status platform_suspend(struct platform *p, enum suspend_outcome *outcome);

/* Run the balloon towards its target now (a home's retry timer calls this
 * balloon_retry_ns after -XEN_EAGAIN). -XEN_ENODEV without a balloon,
 * else as balloon_target_changed. Thread context. */
xen_status platform_balloon_retry(struct platform *p);

/* The SUSPEND interface's object (register client callbacks here). */
struct suspend *platform_suspend_object(struct platform *p);
struct store *platform_store(struct platform *p);
/* NULL when no console is attached. */
struct console *platform_console(struct platform *p);

#endif /* XB_PLATFORM_H */
