/*
 * balloon_pfns: the set of guest frames the balloon holds (given back to
 * Xen), as a stack of runs of contiguous frames kept in page-sized chunks.
 *
 * Pushes and pops are O(1) and never scan: a frame adjacent to the top run
 * (either side: OS allocators hand out ascending or descending frames)
 * extends it, anything else starts a new run. Memory is at most 8 bytes per
 * held frame (scattered frames) and far less for contiguous ones.
 *
 * Space for pushes is reserved before the frames leave the guest, so a push
 * never fails after the hypercall: a frame Xen took is never forgotten.
 *
 * Not locked: the owner (the balloon) serialises every call.
 */
#ifndef XB_BALLOON_PFNS_H
#define XB_BALLOON_PFNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Frames at or above this are refused (x86 physical addresses have at most
 * 52 bits, so frames fit in 40). */
#define BALLOON_PFNS_LIMIT (1ull << 40)

struct balloon_pfns_chunk;

struct balloon_pfns {
	struct balloon_pfns_chunk *top;		/* chunk holding the top run */
	struct balloon_pfns_chunk *spare;	/* empty chunks kept for reserve */
	size_t spares;
	size_t chunks;		/* allocated, in use or spare */
	size_t reserved;	/* pushes guaranteed to find room */
	uint64_t items;		/* frames held */
	uint64_t runs;		/* runs held */
};

/* An empty set (no allocation until the first reserve). */
void balloon_pfns_init(struct balloon_pfns *p);
/* Free every chunk. The frames held are forgotten: callers check
 * balloon_pfns_items first. */
void balloon_pfns_fini(struct balloon_pfns *p);

/* Make sure the next n pushes cannot fail (allocates chunks with os_alloc).
 * -XEN_ENOMEM if that memory is not there; the set is unchanged either way.
 * A reservation holds until the next reserve call. */
xen_status balloon_pfns_reserve(struct balloon_pfns *p, size_t n);
/* Add pfn (< BALLOON_PFNS_LIMIT, not already present: the caller's
 * contract). Uses the reservation; BUG if none is left. */
void balloon_pfns_push(struct balloon_pfns *p, uint64_t pfn);
/* Copy up to n frames from the top of the stack into out, top first,
 * without removing them. Returns how many were copied. */
size_t balloon_pfns_peek(const struct balloon_pfns *p, uint64_t *out, size_t n);
/* Remove the first n frames balloon_pfns_peek would return (n <= items).
 * Emptied chunks are kept as spares (at most two) or freed. */
void balloon_pfns_pop(struct balloon_pfns *p, size_t n);

static inline uint64_t balloon_pfns_items(const struct balloon_pfns *p)
{
	return p->items;
}

/* Bytes of chunk memory currently allocated (statistics). */
size_t balloon_pfns_bytes(const struct balloon_pfns *p);
/* Runs held (1 for a fully contiguous set, items for a scattered one). */
static inline uint64_t balloon_pfns_runs(const struct balloon_pfns *p)
{
	return p->runs;
}

#endif /* XB_BALLOON_PFNS_H */
