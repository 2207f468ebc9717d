/*
 * XenStore watches. Each watch has its own token, so overlapping paths get
 * one event each. Events are parsed and validated under the store lock and
 * delivered from deferred work (thread context), never with a lock held: the
 * callback (if any) runs with the path the daemon reported, then the caller's
 * os_event (if any) is set. Each watch queues at most STORE_WATCH_QUEUE_MAX
 * events; beyond that (a flood) further events are coalesced into one more
 * delivery with the watch's own path, meaning "something under here changed".
 */
#ifndef XB_STORE_WATCH_H
#define XB_STORE_WATCH_H

#include "store.h"

#define STORE_WATCH_QUEUE_MAX 32

typedef void (*store_watch_fn)(void *ctx, const char *path);

/* Register a watch on prefix/node (see store.h for paths). fn and event may
 * each be NULL, not both. The daemon fires it once right away. *out is the
 * handle for store_watch_remove. Thread context. */
xen_status store_watch_add(struct store *store, const char *prefix, const char *node,
			   store_watch_fn fn, void *ctx, os_event *event,
			   struct store_watch **out);
/* Unregister (no XS_UNWATCH if a suspend already dropped it), wait for a
 * running callback of this watch to return, drop undelivered events and free
 * the handle. Thread context, never from this watch's own callback. Returns
 * the daemon's answer to XS_UNWATCH (ENOENT counts as success). */
xen_status store_watch_remove(struct store *store, struct store_watch *watch);

/* If the toolstack advertises control/platform-feature-xs_reset_watches,
 * send XS_RESET_WATCHES (the daemon forgets every watch of this domain) and
 * return its status; otherwise -XEN_EOPNOTSUPP. Meant for start-up before
 * any watch is added; store_resume calls it itself. Thread context. */
xen_status store_reset_watches(struct store *store);

#endif /* XB_STORE_WATCH_H */
