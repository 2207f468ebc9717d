/*
 * Model of the domain's memory reservation as Xen keeps it, over a block of
 * host memory that stands for the guest's RAM (frame = address >> 12, as
 * everywhere in the model), plus the guest OS's free page pool over the same
 * RAM, which is what the balloon's page callbacks allocate from in tests.
 *
 * Handles: XENMEM_decrease_reservation, XENMEM_populate_physmap,
 * XENMEM_current_reservation, XENMEM_maximum_reservation. Like Xen, each
 * reservation call does extents in order and stops at the first it cannot
 * do (frame not the domain's, frame outside RAM, no free memory, over
 * max_pages, misaligned), returning how many it did; bad arguments (order
 * above the domU limit 9, too many extents) return 0; another domain's
 * reservation is -XEN_EPERM. Populating a frame that is already populated
 * succeeds as on Xen (the old page is leaked) and is counted.
 *
 * With SIM_MEMORY_PROTECT, a released frame is unmapped (PROT_NONE, its
 * contents dropped), so any touch of a ballooned page by the guest faults;
 * populating maps a zeroed page again. Without it frames keep their
 * contents and only the bookkeeping is modelled (cheap: benchmarks).
 */
#ifndef XB_SIM_MEMORY_H
#define XB_SIM_MEMORY_H

#include "sim.h"

#define SIM_MEMORY_PROTECT 0x1u
#define SIM_MEMORY_DOMU_MAX_ORDER 9

struct sim_memory_stats {
	unsigned long decrease_calls;
	unsigned long populate_calls;
	unsigned long decreased;	/* frames released */
	unsigned long populated;	/* frames populated */
	unsigned long stopped;		/* calls that stopped before the end */
	unsigned long repopulated;	/* populate of a populated frame (Xen leaks) */
	unsigned long foreign_frames;	/* decrease of a frame the OS pool still had */
	unsigned long os_bad_frees;	/* OS pool got a frame it cannot take back */
};

/* Register the handlers and make `pages` frames of RAM, all populated and
 * all free in the OS pool. Xen's free memory (pool) starts at 0 and
 * max_pages at `pages`. After sim_init; freed by sim_fini. */
void sim_memory_init(size_t pages, unsigned flags);

/* Free memory Xen can populate from (released frames add to it). */
void sim_memory_set_pool(uint64_t pages);
uint64_t sim_memory_pool(void);
void sim_memory_set_max_pages(uint64_t pages);
/* Pages the domain has (Xen's tot_pages). */
uint64_t sim_memory_tot_pages(void);
bool sim_memory_is_populated(uint64_t pfn);
uint64_t sim_memory_first_pfn(void);
size_t sim_memory_ram_pages(void);
void sim_memory_get_stats(struct sim_memory_stats *out);

/* The next call of XENMEM_decrease_reservation or XENMEM_populate_physmap
 * (`cmd`) does at most `limit` extents (then stops as if refused). */
void sim_memory_limit_next(long cmd, unsigned long limit);
/* The next call of `cmd` does its work, then answers `rc` instead. */
void sim_memory_lie_next(long cmd, long rc);

/* ---- the guest OS's free pages ---- */

/* Take up to n free pages (frames to pfns); returns how many. Shaped as
 * the balloon's pages_alloc/pages_free callbacks (ctx is ignored). */
size_t sim_memory_os_alloc(void *ctx, uint64_t *pfns, size_t n);
/* Take them back. Each must be RAM, taken by sim_memory_os_alloc and
 * populated; anything else is counted in os_bad_frees and ignored. */
void sim_memory_os_free(void *ctx, const uint64_t *pfns, size_t n);
/* At most n more pages will be handed out (SIZE_MAX: no limit). */
void sim_memory_os_limit(size_t n);
size_t sim_memory_os_free_pages(void);
/* Hand free pages out in a pseudo-random order (scattered frames). */
void sim_memory_os_shuffle(uint32_t seed);

#endif /* XB_SIM_MEMORY_H */
