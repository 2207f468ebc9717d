#include "balloon_store.h"
#include "log.h"

xen_status balloon_store_read(void *store, const char *node, char *buf, size_t size,
			      size_t *len)
{
	char *value = NULL;
	uint32_t n = 0;
	xen_status st;

	st = store_read(store, NULL, NULL, node, &value, &n);
	if (st != XEN_OK)
		return st;
	__builtin_memcpy(buf, value, n < size ? n : size);
	*len = n;
	store_free(value);
	return XEN_OK;
}

xen_status balloon_store_write(void *store, const char *node, const char *value)
{
	return store_write_str(store, NULL, NULL, node, value);
}

xen_status balloon_watch_retry(struct balloon_watch *w)
{
	xen_status st = balloon_target_changed(w->balloon);

	w->last = st;
	w->runs++;
	if ((st == -XEN_EAGAIN || st == -XEN_ENOMEM) && w->retry)
		w->retry(w->retry_ctx, balloon_retry_ns(w->balloon));
	else if (st != XEN_OK && st != -XEN_EBUSY)
		log_printf(LOG_WARNING, "balloon: run failed: %s\n", status_name(st));
	return st;
}

static void balloon_watch_fired(void *ctx, const char *path)
{
	(void)path;	/* only memory/target is watched */
	balloon_watch_retry(ctx);
}

xen_status balloon_watch_start(struct balloon_watch *w, struct store *store,
			       struct balloon *balloon,
			       void (*retry)(void *ctx, uint64_t delay_ns), void *retry_ctx)
{
	__builtin_memset(w, 0, sizeof(*w));
	w->store = store;
	w->balloon = balloon;
	w->retry = retry;
	w->retry_ctx = retry_ctx;
	return store_watch_add(store, NULL, BALLOON_TARGET_NODE, balloon_watch_fired, w, NULL,
			       &w->watch);
}

xen_status balloon_watch_stop(struct balloon_watch *w)
{
	xen_status st;

	if (!w->watch)
		return XEN_OK;
	st = store_watch_remove(w->store, w->watch);
	w->watch = NULL;
	return st;
}
