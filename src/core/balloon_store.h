/*
 * The balloon's xenstore side on the real store client: the read/write
 * callbacks of struct balloon_ops, and the memory/target watch that
 * runs balloon_target_changed (interfaces.md 6.1).
 *
 * The watch callback runs from the store's deferred watch delivery (thread
 * context, no lock held) and does one balloon run there. When that run
 * stops short (-XEN_EAGAIN, -XEN_ENOMEM), the OS layer's retry hook is
 * asked to call balloon_watch_retry after balloon_retry_ns (Windows: a
 * timer that queues work; upstream retries every second while active).
 */
#ifndef XB_BALLOON_STORE_H
#define XB_BALLOON_STORE_H

#include "balloon.h"
#include "store.h"
#include "store_watch.h"

/* struct balloon_ops callbacks with ctx = the struct store *. Reads copy at
 * most size bytes and report the full length; values are relative to the
 * domain's home. Thread context. */
xen_status balloon_store_read(void *store, const char *node, char *buf, size_t size,
			      size_t *len);
xen_status balloon_store_write(void *store, const char *node, const char *value);

struct balloon_watch {
	struct store *store;
	struct balloon *balloon;
	struct store_watch *watch;
	/* Called when a run stopped short: run balloon_watch_retry after
	 * delay_ns. Optional (without it the next watch firing retries). */
	void (*retry)(void *ctx, uint64_t delay_ns);
	void *retry_ctx;
	xen_status last;	/* the last run's status */
	unsigned long runs;
};

/* Fill w and register the memory/target watch (it fires once at once, so
 * the first run happens without a toolstack change). Thread context. */
xen_status balloon_watch_start(struct balloon_watch *w, struct store *store,
			       struct balloon *balloon,
			       void (*retry)(void *ctx, uint64_t delay_ns), void *retry_ctx);
/* Remove the watch; waits for a running callback. Thread context. */
xen_status balloon_watch_stop(struct balloon_watch *w);
/* One balloon run now, as the watch does (the retry hook's work item).
 * Returns its status (-XEN_EBUSY if a run is already going on). */
xen_status balloon_watch_retry(struct balloon_watch *w);

#endif /* XB_BALLOON_STORE_H */
