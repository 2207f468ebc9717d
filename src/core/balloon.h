/*
 * Balloon: give guest memory back to Xen (inflate: the OS gives up pages,
 * XENMEM_decrease_reservation releases their frames) and take it back
 * (deflate: XENMEM_populate_physmap, then the pages return to the OS), in
 * batches, towards the size the toolstack asks for through xenstore
 * memory/target (interfaces.md 1.11 and 6.1).
 *
 * The balloon reaches xenstore and the OS page allocator only through
 * struct balloon_ops, so the Windows layer can use MDLs
 * (MmAllocatePagesForMdlEx) and the store client can come later.
 *
 * Concurrency: one adjustment at a time. balloon_adjust and
 * balloon_target_changed return -XEN_EBUSY instead of waiting if another is
 * running (or balloon_suspend_trylock holds the balloon). balloon_size and
 * balloon_get_stats may be called from any context at any time.
 */
#ifndef XB_BALLOON_H
#define XB_BALLOON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "status.h"

#define BALLOON_TARGET_NODE "memory/target"
#define BALLOON_STATIC_MAX_NODE "memory/static-max"
#define BALLOON_VIDEORAM_NODE "memory/videoram"
#define BALLOON_ACTIVE_NODE "control/balloon-active"
#define BALLOON_FEATURE_NODE "control/feature-balloon"
#define BALLOON_FIST_INFLATION_NODE "FIST/balloon/inflation"
#define BALLOON_FIST_DEFLATION_NODE "FIST/balloon/deflation"

/* Pages per hypercall (and per OS allocation): the frame list of one batch
 * is one 4 KiB page (Linux's choice too); 2 MiB per batch keeps each
 * hypercall short, so target changes and stop requests are seen between
 * batches, while the per-call overhead is already negligible at 512. */
#define BALLOON_BATCH_MAX 512

/* Longest xenstore value the balloon parses (decimal KiB with room for
 * leading zeros); a longer value is malformed. */
#define BALLOON_VALUE_MAX 32

struct balloon_ops {
	void *ctx;
	/* Read node (relative to the domain's home) into buf (size bytes);
	 * *len gets the value's full length, which may exceed size.
	 * -XEN_ENOENT when absent. Thread context. */
	xen_status (*read)(void *ctx, const char *node, char *buf, size_t size, size_t *len);
	/* Write value to node. Thread context. */
	xen_status (*write)(void *ctx, const char *node, const char *value);
	/* Take up to count resident pages from the OS; write their frames to
	 * pfns[0..n) and return n (0..count). The pages are the balloon's
	 * until given back with pages_free. Thread context, may be slow. */
	size_t (*pages_alloc)(void *ctx, uint64_t *pfns, size_t count);
	/* Give pages (populated, contents undefined) back to the OS. */
	void (*pages_free)(void *ctx, const uint64_t *pfns, size_t count);
};

struct balloon_config {
	uint32_t batch;		/* pages per hypercall, 1..BALLOON_BATCH_MAX */
	uint64_t budget_ns;	/* one adjustment stops after this long (0: none) */
	uint64_t backoff_min_ns;	/* first retry delay after a refusal */
	uint64_t backoff_max_ns;	/* the delay doubles up to this */
};

/* Defaults: 512 pages, 1 s budget, retry after 1 s doubling up to 32 s. */
void balloon_config_defaults(struct balloon_config *config);

struct balloon_stats {
	uint64_t size;			/* pages in the balloon now */
	uint64_t target;		/* balloon size asked for, in pages */
	uint64_t inflated;		/* pages ever given to Xen */
	uint64_t deflated;		/* pages ever taken back */
	uint64_t decrease_calls;	/* XENMEM_decrease_reservation made */
	uint64_t populate_calls;	/* XENMEM_populate_physmap made */
	uint64_t partial;		/* calls that did less than asked */
	uint64_t refused;		/* calls that did nothing (or failed) */
	uint64_t bogus;			/* results outside [-errno, asked] */
	uint64_t os_short;		/* OS gave fewer pages than asked */
	uint64_t os_refused_pfns;	/* pages the OS gave that cannot be ballooned */
	uint64_t no_memory;		/* bookkeeping memory missing */
	uint64_t fist_blocked;		/* adjustments blocked by FIST keys */
	uint64_t bad_values;		/* malformed xenstore values */
	uint64_t store_errors;		/* store reads/writes that failed */
	uint64_t backoffs;		/* adjustments that ended in a back-off */
	uint64_t retry_ns;		/* current back-off delay */
	uint64_t runs;			/* runs of contiguous frames held */
	uint64_t bookkeeping_bytes;	/* memory that remembers the frames */
	uint64_t static_max_kib;	/* as read (0: unknown) */
	uint64_t videoram_kib;
	bool adjusting_disabled;	/* static-max missing or unusable */
	bool active;			/* control/balloon-active is "1" */
};

struct balloon;

/* New balloon. -XEN_ENODEV (and *out NULL) when options say XEN:BALLOON=OFF
 * (opts NULL means defaults); -XEN_EINVAL for missing ops or a bad config
 * (NULL: defaults); -XEN_ENOMEM. Thread context. */
xen_status balloon_create(const struct options *opts, const struct balloon_ops *ops,
			  const struct balloon_config *config, struct balloon **out);
/* Free it. -XEN_EBUSY (nothing freed) while pages are still in the balloon
 * or an adjustment runs: deflate first (balloon_adjust(b, 0)). */
xen_status balloon_destroy(struct balloon *b);

/* D0 entry / exit: write control/feature-balloon "1", or "0". Never a
 * remove: libxl owns control/ (read-only to the guest), so a guest cannot
 * create a node there again once it is gone (real xenstored: EACCES). */
xen_status balloon_advertise(struct balloon *b, bool on);

/* Move towards a balloon of `pages` pages (BALLOON Adjust). XEN_OK when
 * reached. -XEN_EAGAIN when it stopped short: Xen refused or did part,
 * the OS had no pages, the time budget ran out, or a FIST key blocks that
 * direction; call again after balloon_retry_ns. -XEN_ENOMEM: no memory
 * for bookkeeping (also retried). -XEN_EBUSY: another adjustment runs.
 * Thread context. */
xen_status balloon_adjust(struct balloon *b, uint64_t pages);

/* The memory/target watch fired (or a retry is due): read the target
 * (static-max and videoram once, on the first call that finds static-max),
 * compute the balloon size, keep control/balloon-active current and
 * adjust. XEN_OK when at target or when adjusting is disabled (static-max
 * missing or 0: see stats.adjusting_disabled); a malformed target keeps
 * the previous one. Otherwise as balloon_adjust. Thread context, from the
 * deferred work the watch queues; on -XEN_EAGAIN/-XEN_ENOMEM the caller
 * runs it again after balloon_retry_ns. */
xen_status balloon_target_changed(struct balloon *b);

/* Delay before the next try after -XEN_EAGAIN or -XEN_ENOMEM (0 when the
 * last run ended only because its time budget ran out). */
uint64_t balloon_retry_ns(const struct balloon *b);

/* Pages in the balloon (BALLOON GetSize). Any context. */
uint64_t balloon_size(const struct balloon *b);
/* A copy of the counters as of the last finished batch (a consistent
 * snapshot: they are published together). Any context. */
void balloon_get_stats(const struct balloon *b, struct balloon_stats *out);

/* The suspend path's hold (interfaces.md 6.1: suspend only while the
 * balloon is not active). True if no adjustment runs; until
 * balloon_suspend_unlock, adjustments return -XEN_EBUSY. Any context. */
bool balloon_suspend_trylock(struct balloon *b);
void balloon_suspend_unlock(struct balloon *b);

/* Xen's view of this domain: current and maximum reservation, in pages
 * (XENMEM_current_reservation / XENMEM_maximum_reservation). */
xen_status balloon_reservation(uint64_t *current, uint64_t *maximum);

/* ---- xenstore value parsing (untrusted input) ---- */

/* Strict unsigned decimal: value[0..len) must be one or more digits and
 * nothing else (no sign, spaces or trailing junk). -XEN_EINVAL otherwise,
 * -XEN_ERANGE above UINT64_MAX. */
xen_status balloon_parse_decimal(const char *value, size_t len, uint64_t *out);
/* FIST values: binary digits; *blocked true when non-zero. Malformed or
 * overflowing values are -XEN_EINVAL (*blocked false). */
xen_status balloon_parse_fist(const char *value, size_t len, bool *blocked);
/* Balloon size in pages for a target, all in KiB:
 * (static_max - videoram)/4 - min(target/4, that), never negative. */
uint64_t balloon_target_pages(uint64_t target_kib, uint64_t static_max_kib,
			      uint64_t videoram_kib);

#endif /* XB_BALLOON_H */
