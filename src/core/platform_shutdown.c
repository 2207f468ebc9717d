/*
 * control/shutdown handling for the platform: the toolstack writes
 * "suspend" (xl save, migrate) and the guest suspends (interfaces.md 6.1).
 */
#include "platform_internal.h"
#include "log.h"
#include "shutdown.h"
#include "store_watch.h"

#define FEATURE_SUSPEND_NODE "control/feature-suspend"

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
		.report = p->cfg.shutdown_report,
	};
	xen_status st = shutdown_handle(&ops, NULL);

	if (st)
		log_printf(LOG_WARNING, "PLATFORM: control/shutdown: %s\n", status_name(st));
}

static void platform_shutdown_fired(void *ctx, const char *path)
{
	struct platform *p = ctx;

	(void)path;
	os_work_queue(&p->shutdown_work);
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
	st = store_watch_add(p->store, NULL, SHUTDOWN_NODE, platform_shutdown_fired, p, NULL,
			     &p->shutdown_watch);
	if (st)
		(void)store_remove(p->store, NULL, NULL, FEATURE_SUSPEND_NODE);
	return st;
}

void platform_shutdown_down(struct platform *p)
{
	if (!p->shutdown_watch)
		return;
	(void)store_watch_remove(p->store, p->shutdown_watch);
	p->shutdown_watch = NULL;
	os_work_cancel(&p->shutdown_work);
	(void)store_remove(p->store, NULL, NULL, FEATURE_SUSPEND_NODE);
}

xen_status platform_shutdown_resume(struct platform *p)
{
	if (!p->shutdown_watch)
		return XEN_OK;
	return store_write_str(p->store, NULL, NULL, FEATURE_SUSPEND_NODE, "1");
}
