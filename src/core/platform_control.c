/*
 * The toolstack's requests to the platform (interfaces.md 6.1):
 * control/shutdown = "suspend" (xl save, migrate) suspends the domain, and
 * memory/target drives the balloon. Both run from deferred work queued by
 * their watch, never inside the watch callback (the store must be free to
 * re-register that very watch during a resume).
 */
#include "platform_internal.h"
#include "log.h"
#include "shutdown.h"
#include "store_watch.h"

#define FEATURE_SUSPEND_NODE "control/feature-suspend"

/* Store access in the shape shutdown_ops and balloon_ops want. */
static xen_status platform_sd_read(void *ctx, const char *node, char *buf, size_t size,
				   size_t *len)
{
	struct platform *p = ctx;
	uint32_t n = 0;
	char *value;
	xen_status st;

	st = store_read(p->store, NULL, NULL, node, &value, &n);
	if (st)
		return st;
	*len = n;
	__builtin_memcpy(buf, value, n < size ? n : size);
	store_free(value);
	return XEN_OK;
}

static xen_status platform_sd_write(void *ctx, const char *node, const char *value)
{
	struct platform *p = ctx;

	return store_write_str(p->store, NULL, NULL, node, value);
}

/* Suspend only while the balloon is idle (upstream: its mutex). */
static bool platform_sd_trylock(void *ctx)
{
	struct platform *p = ctx;

	return !p->balloon || balloon_suspend_trylock(p->balloon);
}

static void platform_sd_unlock(void *ctx)
{
	struct platform *p = ctx;

	if (p->balloon)
		balloon_suspend_unlock(p->balloon);
}

static xen_status platform_sd_suspend(void *ctx)
{
	struct platform *p = ctx;
	xen_status st = platform_suspend(p, NULL);

	p->shutdown_suspends++;
	return st;
}

static void platform_shutdown_work(void *arg)
{
	struct platform *p = arg;
	struct shutdown_ops ops = {
		.ctx = p,
		.read = platform_sd_read,
		.write = platform_sd_write,
		.suspend = platform_sd_suspend,
		.suspend_trylock = platform_sd_trylock,
		.suspend_unlock = platform_sd_unlock,
		.report = p->cfg.shutdown_report,
	};
	xen_status st = shutdown_handle(&ops, NULL);

	/* Refused while the balloon was busy: the balloon asks again when
	 * its adjustment is over. */
	__atomic_store_n(&p->shutdown_deferred, st == -XEN_EAGAIN, __ATOMIC_RELEASE);
	if (st)
		log_printf(LOG_WARNING, "PLATFORM: control/shutdown: %s\n", status_name(st));
}

/* A watch of ours fired: its work item (ctx) does the rest. */
static void platform_watch_fired(void *ctx, const char *path)
{
	(void)path;
	os_work_queue(ctx);
}

xen_status platform_shutdown_up(struct platform *p)
{
	xen_status st;

	if (!p->cfg.shutdown_watch)
		return XEN_OK;
	os_work_init(&p->shutdown_work, platform_shutdown_work, p);
	st = store_write_str(p->store, NULL, NULL, FEATURE_SUSPEND_NODE, "1");
	if (st)
		return st;
	st = store_watch_add(p->store, NULL, SHUTDOWN_NODE, platform_watch_fired,
			     &p->shutdown_work, NULL, &p->shutdown_watch);
	if (st)
		(void)store_write_str(p->store, NULL, NULL, FEATURE_SUSPEND_NODE, "0");
	return st;
}

void platform_shutdown_down(struct platform *p)
{
	if (!p->shutdown_watch)
		return;
	(void)store_watch_remove(p->store, p->shutdown_watch);
	p->shutdown_watch = NULL;
	os_work_cancel(&p->shutdown_work);
	/* "0", not a remove: the guest could not create it again (libxl
	 * makes control/ read-only to the guest; seen on real xenstored). */
	(void)store_write_str(p->store, NULL, NULL, FEATURE_SUSPEND_NODE, "0");
}

xen_status platform_shutdown_resume(struct platform *p)
{
	if (!p->shutdown_watch)
		return XEN_OK;
	return store_write_str(p->store, NULL, NULL, FEATURE_SUSPEND_NODE, "1");
}

/* ---- balloon ---- */

/* The home's page callbacks take their own context. */
static size_t platform_pages_alloc(void *ctx, uint64_t *pfns, size_t count)
{
	struct platform *p = ctx;

	return p->cfg.balloon_pages_alloc(p->cfg.balloon_ctx, pfns, count);
}

static void platform_pages_free(void *ctx, const uint64_t *pfns, size_t count)
{
	struct platform *p = ctx;

	p->cfg.balloon_pages_free(p->cfg.balloon_ctx, pfns, count);
}

static void platform_balloon_work(void *arg)
{
	struct platform *p = arg;

	p->balloon_status = balloon_target_changed(p->balloon);
	if (__atomic_exchange_n(&p->shutdown_deferred, false, __ATOMIC_ACQ_REL))
		os_work_queue(&p->shutdown_work);
}

/*
 * control/feature-balloon tells the toolstack it may set memory/target. The
 * toolstack decides who may write it: libxl gives an HVM guest the node but
 * a PVH guest none (the real xenstored answers EACCES). A refusal leaves
 * the toolstack uninformed, nothing more: the balloon still follows the
 * target, so it is a warning, not a failed bring-up or resume.
 */
static void platform_balloon_advertise(struct platform *p)
{
	xen_status st = balloon_advertise(p->balloon, true);

	if (st)
		log_printf(LOG_WARNING, "PLATFORM: %s not written (%s)\n", BALLOON_FEATURE_NODE,
			   status_name(st));
}

xen_status platform_balloon_up(struct platform *p)
{
	struct balloon_ops ops = {
		.ctx = p,
		.read = platform_sd_read,
		.write = platform_sd_write,
		.pages_alloc = platform_pages_alloc,
		.pages_free = platform_pages_free,
	};
	xen_status st;

	if (!p->cfg.balloon_pages_alloc || !p->cfg.balloon_pages_free)
		return XEN_OK;
	os_work_init(&p->balloon_work, platform_balloon_work, p);
	st = balloon_create(&p->cfg.options, &ops, NULL, &p->balloon);
	if (st == -XEN_ENODEV)
		return XEN_OK;	/* XEN:BALLOON=OFF */
	if (st)
		return st;
	platform_balloon_advertise(p);
	st = store_watch_add(p->store, NULL, BALLOON_TARGET_NODE, platform_watch_fired,
			     &p->balloon_work, NULL, &p->balloon_watch);
	if (st) {
		(void)balloon_advertise(p->balloon, false);
		(void)balloon_destroy(p->balloon);
		p->balloon = NULL;
	}
	return st;
}

void platform_balloon_down(struct platform *p)
{
	xen_status st;

	if (!p->balloon)
		return;
	(void)store_watch_remove(p->store, p->balloon_watch);
	p->balloon_watch = NULL;
	os_work_cancel(&p->balloon_work);
	/* Give the OS its memory back before the balloon goes. */
	st = balloon_adjust(p->balloon, 0);
	(void)balloon_advertise(p->balloon, false);
	if (st == XEN_OK)
		st = balloon_destroy(p->balloon);
	if (st)
		log_printf(LOG_ERROR, "PLATFORM: balloon not deflated (%s): %llu pages kept\n",
			   status_name(st), (unsigned long long)balloon_size(p->balloon));
	else
		p->balloon = NULL;
}

xen_status platform_balloon_resume(struct platform *p)
{
	if (!p->balloon)
		return XEN_OK;
	/* Look at the target again (the watch re-registration fires too). */
	os_work_queue(&p->balloon_work);
	platform_balloon_advertise(p);
	return XEN_OK;
}

xen_status platform_balloon_retry(struct platform *p)
{
	if (!p->balloon)
		return -XEN_ENODEV;
	platform_balloon_work(p);
	return p->balloon_status;
}
