/*
 * Platform bring-up, teardown and the rebuild after resume (platform.h).
 */
#include "platform_internal.h"
#include "hypercall.h"
#include "log.h"
#include "shared_info.h"
#include "store_watch.h"

enum platform_step {
	STEP_NONE,
	STEP_HYPERCALL,
	STEP_SHARED_INFO,
	STEP_EVTCHN,
	STEP_GNTTAB,
	STEP_STORE,
	STEP_CONSOLE,
	STEP_WATCHDOG,
	STEP_BALLOON,
	STEP_CALLBACKS,
	STEP_SHUTDOWN,
};

/* The core's modules are single-instance: one platform at a time. */
static struct platform *platform_live;

static void platform_note(struct platform *p, const char *what, xen_status st)
{
	log_printf(LOG_ERROR, "PLATFORM: %s failed (%s)\n", what, status_name(st));
	if (p->resume_status == XEN_OK)
		p->resume_status = st;
}

/* A ring the toolstack published through two HVM params (outside input). */
static xen_status platform_locate(uint32_t pfn_param, uint32_t port_param, uint64_t *pfn,
				  evtchn_port_t *port)
{
	uint64_t frame, value;
	xen_status st;

	st = hvm_get_param(pfn_param, &frame);
	if (st == XEN_OK)
		st = hvm_get_param(port_param, &value);
	if (st)
		return st;
	if (frame == 0 || value == 0)
		return -XEN_ENOENT;
	if (value >= EVTCHN_FIFO_NR_CHANNELS || frame > (UINT64_MAX >> 12))
		return -XEN_ERANGE;
	*pfn = frame;
	*port = (evtchn_port_t)value;
	return XEN_OK;
}

/* Point *va at frame pfn, mapping it if it moved; the old mapping goes. */
static xen_status platform_remap(struct platform *p, uint64_t pfn, void **va, uint64_t *cur)
{
	void *fresh;

	if (*va && *cur == pfn)
		return XEN_OK;
	fresh = p->cfg.map_frame(p->cfg.map_ctx, pfn);
	if (!fresh)
		return -XEN_ENOMEM;
	if (*va && p->cfg.unmap_frame)
		p->cfg.unmap_frame(p->cfg.map_ctx, *va);
	*va = fresh;
	*cur = pfn;
	return XEN_OK;
}

static void platform_unmap(struct platform *p, void **va)
{
	if (*va && p->cfg.unmap_frame)
		p->cfg.unmap_frame(p->cfg.map_ctx, *va);
	*va = NULL;
}

/* Wrap a toolstack-bound port and start receiving on it. */
static xen_status platform_open_fixed(evtchn_port_t port, evtchn_fn fn, void *arg,
				      struct evtchn_channel **ch)
{
	xen_status st = evtchn_open_fixed(port, false, fn, arg, ch);

	if (st == XEN_OK && evtchn_unmask(*ch, false, false))
		evtchn_trigger(*ch);	/* was pending already */
	return st;
}

/* ---- xenstore ---- */

static bool platform_store_event(void *arg)
{
	struct platform *p = arg;

	p->store_events++;
	store_event(p->store);
	return true;
}

static void platform_store_notify(void *ctx)
{
	struct platform *p = ctx;

	if (p->store_ch)
		(void)evtchn_send(p->store_ch);
}

static xen_status platform_store_up(struct platform *p)
{
	struct store_config cfg = { 0 };
	evtchn_port_t port;
	xen_status st;
	void *page = NULL;

	st = platform_locate(HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN, &p->store_pfn, &port);
	if (st)
		return st;
	st = platform_remap(p, p->store_pfn, &page, &p->store_pfn);
	if (st)
		return st;
	p->store_page = page;
	cfg.intf = p->store_page;
	cfg.notify = platform_store_notify;
	cfg.notify_ctx = p;
	cfg.timeout_ns = p->cfg.store_timeout_ns;
	st = store_create(&cfg, &p->store);
	if (st)
		goto unmap;
	st = platform_open_fixed(port, platform_store_event, p, &p->store_ch);
	if (st)
		goto destroy;
	return XEN_OK;
destroy:
	store_destroy(p->store);
	p->store = NULL;
unmap:
	platform_unmap(p, &p->store_page);
	return st;
}

static void platform_store_down(struct platform *p)
{
	evtchn_close(p->store_ch);
	p->store_ch = NULL;
	store_destroy(p->store);
	p->store = NULL;
	platform_unmap(p, &p->store_page);
}

static xen_status platform_store_resume(struct platform *p)
{
	evtchn_port_t port;
	uint64_t pfn;
	void *page = p->store_page;
	xen_status st;

	st = platform_locate(HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN, &pfn, &port);
	if (st == XEN_OK)
		st = platform_remap(p, pfn, &page, &p->store_pfn);
	if (st)
		return st;
	p->store_page = page;
	/* The old channel is inactive: closing it only frees it. */
	evtchn_close(p->store_ch);
	p->store_ch = NULL;
	st = platform_open_fixed(port, platform_store_event, p, &p->store_ch);
	if (st)
		return st;
	return store_resume(p->store, p->store_page, platform_store_notify, p);
}

/* ---- console ---- */

static bool platform_console_event(void *arg)
{
	struct platform *p = arg;

	p->console_events++;
	console_event(&p->console);
	return true;
}

static void platform_console_notify(void *ctx)
{
	struct platform *p = ctx;

	if (p->console_ch)
		(void)evtchn_send(p->console_ch);
}

/* Attach (again) to the console the toolstack published. */
static xen_status platform_console_attach(struct platform *p)
{
	evtchn_port_t port;
	uint64_t pfn;
	xen_status st;

	st = platform_locate(HVM_PARAM_CONSOLE_PFN, HVM_PARAM_CONSOLE_EVTCHN, &pfn, &port);
	if (st == XEN_OK)
		st = platform_remap(p, pfn, &p->console_page, &p->console_pfn);
	if (st)
		return st;
	evtchn_close(p->console_ch);
	p->console_ch = NULL;
	st = platform_open_fixed(port, platform_console_event, p, &p->console_ch);
	if (st)
		return st;
	return console_enable(&p->console, p->console_page, platform_console_notify, p);
}

static void platform_console_down(struct platform *p)
{
	console_disable(&p->console);
	evtchn_close(p->console_ch);
	p->console_ch = NULL;
	platform_unmap(p, &p->console_page);
	p->console_up = false;
}

static xen_status platform_console_up(struct platform *p)
{
	xen_status st;

	console_init(&p->console);
	if (p->cfg.no_console)
		return XEN_OK;
	st = platform_console_attach(p);
	if (st == -XEN_ENOENT)
		return XEN_OK;	/* the toolstack set up no console */
	if (st) {
		platform_console_down(p);
		return st;
	}
	p->console_up = true;
	return XEN_OK;
}

/* ---- watchdog ---- */

static bool platform_timer_event(void *arg)
{
	struct platform *p = arg;

	(void)watchdog_tick(&p->watchdog, os_cpu_current());
	return true;
}

static void platform_timers_close(struct platform *p)
{
	unsigned cpu;

	for (cpu = 0; cpu < p->timer_cpus; cpu++) {
		(void)watchdog_cpu_timer(cpu, 0);
		evtchn_close(p->timer_ch[cpu]);
		p->timer_ch[cpu] = NULL;
	}
}

/* VIRQ_TIMER on every CPU with a periodic timer of half the timeout. */
static xen_status platform_timers_open(struct platform *p)
{
	uint64_t period = watchdog_period_ns(watchdog_timeout(p->cfg.options.watchdog_s));
	xen_status st = XEN_OK;
	unsigned cpu;

	for (cpu = 0; cpu < p->timer_cpus && st == XEN_OK; cpu++) {
		st = evtchn_open_virq(VIRQ_TIMER, cpu, platform_timer_event, p, &p->timer_ch[cpu]);
		if (st == XEN_OK) {
			(void)evtchn_unmask(p->timer_ch[cpu], false, false);
			st = watchdog_cpu_timer(cpu, period);
		}
	}
	return st;
}

static xen_status platform_watchdog_up(struct platform *p)
{
	xen_status st;

	watchdog_init(&p->watchdog);
	if (p->cfg.options.watchdog_s == 0)
		return XEN_OK;
	p->timer_cpus = p->cfg.upcall_cpus;
	st = platform_timers_open(p);
	if (st == XEN_OK)
		st = watchdog_start(&p->watchdog, p->cfg.options.watchdog_s, p->timer_cpus);
	if (st) {
		platform_timers_close(p);
		p->timer_cpus = 0;
	}
	return st;
}

static void platform_watchdog_down(struct platform *p)
{
	if (p->timer_cpus == 0)
		return;
	platform_timers_close(p);
	(void)watchdog_stop(&p->watchdog);
	p->timer_cpus = 0;
}

/* ---- resume ---- */

/* CPU 0, every other CPU and interrupts stopped: no waiting, no allocation
 * (the FIFO pages and shared info page are kept from bring-up). */
static void platform_early(void *arg)
{
	struct platform *p = arg;
	xen_status st;
	unsigned i;

	st = shared_info_init();
	if (st)
		platform_note(p, "shared info", st);
	for (i = 0; i < UNPLUG_TYPES; i++) {
		if (p->cfg.unplug[i]) {
			(void)unplug_devices(p->cfg.unplug, p->cfg.options.boot_emulated,
					     UNPLUG_PRODUCT_DEFAULT, p->cfg.unplug_build, NULL);
			break;
		}
	}
	st = gnttab_resume();
	if (st)
		platform_note(p, "grant table", st);
	st = evtchn_resume();
	if (st)
		platform_note(p, "event channels", st);
	store_suspend(p->store);
	if (p->console_up)
		console_disable(&p->console);
}

static void platform_late(void *arg)
{
	struct platform *p = arg;
	xen_status st;

	st = platform_store_resume(p);
	if (st)
		platform_note(p, "xenstore", st);
	if (p->console_up) {
		st = platform_console_attach(p);
		if (st)
			platform_note(p, "console", st);
	}
	if (p->timer_cpus) {
		platform_timers_close(p);
		st = platform_timers_open(p);
		/* A new domain has no watchdog; should Xen have kept us in the
		 * old one, the old watchdog must not linger (it would fire). */
		(void)watchdog_stop(&p->watchdog);
		if (st == XEN_OK)
			st = watchdog_start(&p->watchdog, p->cfg.options.watchdog_s, p->timer_cpus);
		if (st)
			platform_note(p, "watchdog", st);
	}
	st = platform_shutdown_resume(p);
	if (st)
		platform_note(p, "feature-suspend", st);
	st = platform_balloon_resume(p);
	if (st)
		platform_note(p, "balloon", st);
	p->resumes++;
}

/* ---- bring-up and teardown ---- */

static void platform_unwind(struct platform *p)
{
	switch ((enum platform_step)p->steps) {
	case STEP_SHUTDOWN:
		platform_shutdown_down(p);
		/* fall through */
	case STEP_CALLBACKS:
		suspend_deregister(&p->suspend, p->late_cb);
		suspend_deregister(&p->suspend, p->early_cb);
		p->early_cb = p->late_cb = NULL;
		/* fall through */
	case STEP_BALLOON:
		platform_balloon_down(p);
		/* fall through */
	case STEP_WATCHDOG:
		platform_watchdog_down(p);
		/* fall through */
	case STEP_CONSOLE:
		if (p->console_up)
			platform_console_down(p);
		/* fall through */
	case STEP_STORE:
		platform_store_down(p);
		/* fall through */
	case STEP_GNTTAB:
		(void)gnttab_fini();
		/* fall through */
	case STEP_EVTCHN:
		evtchn_fini();
		/* fall through */
	case STEP_SHARED_INFO:
		shared_info_fini();
		/* fall through */
	case STEP_HYPERCALL:
		hypercall_fini();
		/* fall through */
	case STEP_NONE:
		break;
	}
	p->steps = STEP_NONE;
	suspend_fini(&p->suspend);
	if (platform_live == p)
		platform_live = NULL;
}

static xen_status platform_step(struct platform *p)
{
	unsigned i;

	switch ((enum platform_step)(p->steps + 1)) {
	case STEP_HYPERCALL:
		return hypercall_init(p->detect.hypercall_msr);
	case STEP_SHARED_INFO: {
		xen_status st = detect_version_check(&p->detect, &p->version);

		return st ? st : shared_info_init();
	}
	case STEP_EVTCHN:
		evtchn_force_2level(p->cfg.force_2level);
		for (i = 1; i < p->cfg.upcall_cpus; i++)
			evtchn_cpu_upcall_available(i, true);
		return evtchn_init();
	case STEP_GNTTAB:
		return gnttab_init(p->cfg.gnttab_ops);
	case STEP_STORE:
		return platform_store_up(p);
	case STEP_CONSOLE:
		return platform_console_up(p);
	case STEP_WATCHDOG:
		return platform_watchdog_up(p);
	case STEP_BALLOON:
		return platform_balloon_up(p);
	case STEP_CALLBACKS: {
		xen_status st = suspend_register(&p->suspend, SUSPEND_CALLBACK_EARLY,
						 platform_early, p, &p->early_cb);

		if (st == XEN_OK)
			st = suspend_register(&p->suspend, SUSPEND_CALLBACK_LATE, platform_late,
					      p, &p->late_cb);
		if (st)
			suspend_deregister(&p->suspend, p->early_cb);
		return st;
	}
	case STEP_SHUTDOWN:
		return platform_shutdown_up(p);
	case STEP_NONE:
		break;
	}
	return -XEN_EINVAL;
}

static const char *const platform_step_names[] = {
	"", "hypercall page", "shared info", "event channels", "grant table",
	"xenstore", "console", "watchdog", "balloon", "suspend callbacks", "control/shutdown watch",
};

xen_status platform_init(struct platform *p, const struct platform_config *cfg)
{
	xen_status st;

	if (platform_live) {
		if (platform_live != p)
			p->steps = STEP_NONE;	/* so platform_fini(p) does nothing */
		return -XEN_EEXIST;
	}
	__builtin_memset(p, 0, sizeof(*p));
	if (!cfg || !cfg->map_frame || cfg->upcall_cpus > PLATFORM_MAX_CPUS)
		return -XEN_EINVAL;
	platform_live = p;
	p->cfg = *cfg;
	if (p->cfg.upcall_cpus == 0)
		p->cfg.upcall_cpus = 1;
	if (p->cfg.upcall_cpus > os_cpu_count())
		p->cfg.upcall_cpus = os_cpu_count();
	suspend_init(&p->suspend, cfg->suspend_ops);
	st = detect_xen(&p->detect);
	if (st) {
		platform_unwind(p);
		return st;
	}
	while (p->steps < STEP_SHUTDOWN) {
		st = platform_step(p);
		if (st) {
			log_printf(LOG_ERROR, "PLATFORM: %s failed (%s)\n",
				   platform_step_names[p->steps + 1], status_name(st));
			platform_unwind(p);
			return st;
		}
		p->steps++;
	}
	return XEN_OK;
}

void platform_fini(struct platform *p)
{
	if (p->steps == STEP_SHUTDOWN)
		platform_unwind(p);
}

xen_status platform_suspend(struct platform *p, enum suspend_outcome *outcome)
{
	enum suspend_outcome out = SUSPEND_FAILED;
	xen_status st;

	if (p->steps < STEP_CALLBACKS)
		return -XEN_ENODEV;
	if (__atomic_load_n(&p->suspend.busy, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	p->resume_status = XEN_OK;
	st = suspend_trigger(&p->suspend, &out);
	if (outcome)
		*outcome = out;
	if (st)
		return st;
	return out == SUSPEND_RESUMED ? p->resume_status : XEN_OK;
}

struct suspend *platform_suspend_object(struct platform *p)
{
	return &p->suspend;
}

struct store *platform_store(struct platform *p)
{
	return p->store;
}

struct console *platform_console(struct platform *p)
{
	return p->console_up ? &p->console : NULL;
}
