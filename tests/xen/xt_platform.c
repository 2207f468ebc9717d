/*
 * Suite "platform": the core's one bring-up (platform.h), wired as the bus
 * driver wires it, on the real hypervisor. Nothing of the other suites'
 * hand wiring (xt_env.c) is used: the platform binds the store and console
 * rings the toolstack published, arms the watchdog from the command line's
 * XEN:WATCHDOG, follows memory/target with its balloon and suspends when
 * the toolstack writes control/shutdown. dom0 (tests/xen/dom0/run.sh,
 * run_platform_guest) drives it:
 *   data/xt-balloon          guest -> dom0: balloon size in kB ("0" = ready)
 *   data/xt-balloon-checked  dom0 -> guest: balloon steps done
 *   data/xt-ready            guest -> dom0: cycle number, waiting to be saved
 * and finds the console lines in xenconsoled's log. The guest runs with
 * XEN:WATCHDOG=10 throughout: a platform that stopped patting (or did not
 * re-arm after a restore) is reset by Xen and never prints XT END.
 */
#include "log.h"
#include "platform.h"
#include "shared_info.h"
#include "xt_env.h"

#define PLATFORM_CYCLES 2

static struct platform plat;
static uint64_t hypercall_msr;
static int log_sink = -1;

static void *map_identity(void *ctx, uint64_t pfn)
{
	(void)ctx;
	return (void *)(uintptr_t)(pfn * GUEST_PAGE_SIZE);
}

/* Before the platform's event channels are up (and after they are gone)
 * nobody dispatches: acknowledge so Xen raises the vector again later. */
static void platform_upcall(void)
{
	if (evtchn_abi() == EVTCHN_ABI_NONE)
		(void)shared_info_upcall_pending(0);
	else
		evtchn_upcall(0);
}

/* One vCPU: quiescing is interrupts off. The new domain of a restore has
 * no callback vector: set it before interrupts come back. */
static void platform_quiesce(void *ctx)
{
	(void)ctx;
	guest_irq_disable();
}

static void platform_release(void *ctx)
{
	(void)ctx;
	guest_upcall_init();
	guest_irq_enable();
}

static const struct suspend_ops platform_sops = {
	.quiesce = platform_quiesce,
	.release = platform_release,
};

static void platform_config_for_guest(struct platform_config *cfg)
{
	const char *cmdline = guest_cmdline();

	*cfg = (struct platform_config){ 0 };
	options_parse(cmdline, __builtin_strlen(cmdline), &cfg->options);
	cfg->map_frame = map_identity;
	cfg->suspend_ops = &platform_sops;
	cfg->store_timeout_ns = 20000ull * 1000 * 1000;
	cfg->shutdown_watch = true;
	cfg->balloon_pages_alloc = xt_pages_alloc;
	cfg->balloon_pages_free = xt_pages_free;
}

/* platform_fini takes the hypercall page and the shared info with it; the
 * test kernel needs both to go on (time, output, its own shutdown). */
static void kernel_basics_again(void)
{
	if (!hypercall_msr)
		return;	/* bring_up never got as far as the platform */
	(void)hypercall_init(hypercall_msr);
	guest_time_init();
}

static xen_status console_line(const char *fmt, unsigned n)
{
	struct console *c = platform_console(&plat);
	char line[96];
	size_t len = guest_snprintf(line, sizeof(line), fmt, n), done = 0;
	xen_status rc;

	if (!c)
		return -XEN_ENODEV;
	rc = console_write(c, line, len, &done);
	return rc ? rc : (done == len ? XEN_OK : -XEN_EAGAIN);
}

static bool store_has(const char *node, const char *want)
{
	char *v = NULL;
	uint32_t len;
	bool same = store_read(platform_store(&plat), NULL, NULL, node, &v, &len) == XEN_OK &&
		    len == __builtin_strlen(want) && __builtin_memcmp(v, want, len) == 0;

	store_free(v);
	return same;
}

XT_SCENARIO(platform, bring_up)
{
	struct platform_config cfg;
	struct detect_info info;
	char name[64];

	/* The platform's own complaints, on the serial console beside ours. */
	log_init();
	XT_CHECK_OK(log_add_port_sink(LOG_XEN_PORT, LOG_ERROR | LOG_WARNING | LOG_CRITICAL,
				      &log_sink));
	XT_CHECK_OK(detect_xen(&info));
	hypercall_msr = info.hypercall_msr;
	platform_config_for_guest(&cfg);
	XT_CHECK_EQ(cfg.options.watchdog_s, 10);
	guest_set_upcall(platform_upcall);
	XT_CHECK_OK(platform_init(&plat, &cfg));
	XT_CHECK_EQ(evtchn_abi(), EVTCHN_ABI_FIFO);
	XT_CHECK(guest_cmdline_get("name", name, sizeof(name)) != NULL);
	XT_CHECK(store_has("name", name));
	XT_CHECK(store_has("control/feature-suspend", "1"));
	XT_CHECK(plat.balloon != NULL);
	XT_CHECK_EQ(plat.timer_cpus, 1);
	XT_CHECK_OK(console_line("XT-CONSOLE platform up %u\n", 0));
	/* A second platform while one is up is refused, and harmless. */
	{
		static struct platform other;

		XT_CHECK_EQ(platform_init(&other, &cfg), -XEN_EEXIST);
		platform_fini(&other);
	}
	XT_CHECK(store_has("name", name));
	xt_note("up: ABI %s, store port %u, console port %u, watchdog %u s, %u grant frames",
		evtchn_abi_name(evtchn_abi()), evtchn_port(plat.store_ch),
		evtchn_port(plat.console_ch), cfg.options.watchdog_s, gnttab_frames());
}

XT_SCENARIO(platform, balloon_follows_target)
{
	struct store *s = platform_store(&plat);
	uint64_t deadline, reported = UINT64_MAX, max_size = 0;
	struct balloon_stats st;
	os_event tick;

	XT_CHECK(s != NULL && plat.balloon != NULL);
	os_event_init(&tick);
	deadline = os_time_ns() + 60000ull * 1000 * 1000;
	while (!store_has("data/xt-balloon-checked", "1") && os_time_ns() < deadline) {
		uint64_t size = balloon_size(plat.balloon);

		/* The home's retry timer, as the FDO would run it. */
		if (plat.balloon_status == -XEN_EAGAIN || plat.balloon_status == -XEN_ENOMEM)
			(void)platform_balloon_retry(&plat);
		if (size != reported) {
			XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-balloon", "%lu",
						 (unsigned long)(size * 4)));
			reported = size;
		}
		max_size = size > max_size ? size : max_size;
		xt_wait(&tick, 50);
	}
	balloon_get_stats(plat.balloon, &st);
	xt_note("balloon up to %lu kB; inflated %lu, deflated %lu pages; status %d",
		(unsigned long)(max_size * 4), (unsigned long)st.inflated,
		(unsigned long)st.deflated, (int)plat.balloon_status);
	XT_CHECK(store_has("data/xt-balloon-checked", "1"));
	XT_CHECK_EQ(max_size, 1024); /* 16 MiB -> 12 MiB */
	XT_CHECK_EQ(balloon_size(plat.balloon), 0);
	XT_CHECK_EQ(plat.balloon_status, XEN_OK);
}

/* A watch of the test's own, registered before the first save. */
static void watch_fired(void *ctx, const char *path)
{
	(void)path;
	os_event_set(ctx);
}

/* One save/restore cycle seen from the guest: wait for the platform's
 * rebuild, then use every module in the new domain. ge: a grant to dom0
 * made before; Xen's new table no longer has it: revoke, grant again. */
static void platform_cycle(unsigned cycle, os_event *watch_ev, struct gnttab_cache *gc,
			   struct gnttab_entry **ge, uint64_t page_pfn)
{
	struct store *s = platform_store(&plat);
	uint64_t deadline = os_time_ns() + 60000ull * 1000 * 1000, pfn = 1, store_pfn;
	bool readonly = false;
	os_event tick;

	os_event_init(&tick);
	os_event_reset(watch_ev);
	XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-ready", "%u", cycle));
	/* The platform's control/shutdown watch does the rest. */
	while (plat.resumes < cycle && os_time_ns() < deadline)
		xt_wait(&tick, 20);
	XT_CHECK_EQ(plat.resumes, cycle);
	XT_CHECK_EQ(plat.resume_status, XEN_OK);
	XT_CHECK_EQ(suspend_count(platform_suspend_object(&plat)), cycle);
	XT_CHECK_EQ(plat.shutdown_suspends, cycle);
	/* Every module of the rebuilt platform works in the new domain. */
	XT_CHECK(xt_wait(watch_ev, 10000));
	XT_CHECK(store_has("control/feature-suspend", "1"));
	XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-platform-cycle", "%u", cycle));
	XT_CHECK_OK(console_line("XT-CONSOLE platform resumed %u\n", cycle));
	XT_CHECK_EQ(plat.timer_cpus, 1);
	/* The grant frames are back and show Xen's table of the new domain:
	 * the restoring toolstack's store seed (ref 1) is there, ours is not. */
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_STORE_PFN, &store_pfn));
	XT_CHECK_OK(gnttab_query_reference(1, &pfn, &readonly));
	XT_CHECK_EQ(pfn, store_pfn);
	XT_CHECK_OK(gnttab_query_reference(gnttab_entry_ref(*ge), &pfn, &readonly));
	XT_CHECK_EQ(pfn, 0);
	XT_CHECK_OK(gnttab_revoke_foreign_access(gc, false, *ge));
	*ge = NULL;
	XT_CHECK_OK(gnttab_permit_foreign_access(gc, false, 0, page_pfn, true, ge));
	XT_CHECK_OK(gnttab_query_reference(gnttab_entry_ref(*ge), &pfn, &readonly));
	XT_CHECK(pfn == page_pfn && readonly);
	xt_note("cycle %u: rebuilt, ABI %s, store port %u, console port %u, %lu store events",
		cycle, evtchn_abi_name(evtchn_abi()), evtchn_port(plat.store_ch),
		evtchn_port(plat.console_ch), plat.store_events);
}

XT_SCENARIO(platform, save_restore_rebuilds)
{
	struct store *s = platform_store(&plat);
	struct gnttab_cache *gc = NULL;
	struct gnttab_entry *ge = NULL;
	struct store_watch *w = NULL;
	uint64_t page_pfn;
	void *page = os_page_alloc(&page_pfn);
	os_event watch_ev;
	unsigned cycle;

	os_event_init(&watch_ev);
	if (!s || !page || store_watch_add(s, NULL, "data/xt-resume-watch", watch_fired, &watch_ev,
					   NULL, &w) ||
	    gnttab_cache_create("xt-platform", 0, 0, NULL, NULL, NULL, &gc) ||
	    gnttab_permit_foreign_access(gc, false, 0, page_pfn, true, &ge)) {
		xt_fail(__FILE__, __LINE__, "set-up");
		goto out;
	}
	if (!xt_wait(&watch_ev, 5000))
		xt_fail(__FILE__, __LINE__, "watch never fired");
	for (cycle = 1; cycle <= PLATFORM_CYCLES && !xt_failed(); cycle++)
		platform_cycle(cycle, &watch_ev, gc, &ge, page_pfn);
out:
	/* Leave nothing behind for the teardown scenario. */
	if (w && store_watch_remove(s, w))
		xt_fail(__FILE__, __LINE__, "watch remove");
	if (ge && gnttab_revoke_foreign_access(gc, false, ge))
		xt_fail(__FILE__, __LINE__, "revoke");
	if (gc && gnttab_cache_destroy(gc))
		xt_fail(__FILE__, __LINE__, "cache destroy");
	os_page_free(page);
}

/* Teardown gives everything back; a second bring-up in the same domain
 * (a driver stopped and started again) works; then down again. */
XT_SCENARIO(platform, teardown_and_again)
{
	struct platform_config cfg;
	char name[64];
	xen_status rc;

	platform_config_for_guest(&cfg);
	platform_fini(&plat);
	kernel_basics_again();
	XT_CHECK_EQ(evtchn_abi(), EVTCHN_ABI_NONE);
	rc = platform_init(&plat, &cfg);
	if (rc) {
		kernel_basics_again();
		xt_fail(__FILE__, __LINE__, "second platform_init = %d", (int)rc);
		return;
	}
	XT_CHECK(guest_cmdline_get("name", name, sizeof(name)) != NULL);
	rc = store_has("name", name) ? XEN_OK : -XEN_EIO;
	xt_note("again: ABI %s, store port %u", evtchn_abi_name(evtchn_abi()),
		evtchn_port(plat.store_ch));
	platform_fini(&plat);
	kernel_basics_again();
	guest_set_upcall(NULL);
	log_remove_sink(log_sink);
	XT_CHECK_OK(rc);
}
