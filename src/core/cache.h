/*
 * cache: an object cache with constructor and destructor, per-CPU
 * magazines and page-sized slabs behind them (the CACHE interface children
 * receive, and the grant-entry caches of gnttab).
 *
 * Objects are constructed lazily, the first time a slab slot is handed out,
 * and stay constructed across put/get; the destructor runs only when a slab
 * is freed (reclaim, destroy). The get/put fast path serves the calling
 * CPU's magazine with one atomic exchange (no lock, no waiting); the slow
 * path takes the cache's spin lock. Any context up to DISPATCH_LEVEL for
 * get, put, reclaim and destroy; create may allocate several slabs.
 */
#ifndef XB_CACHE_H
#define XB_CACHE_H

#include <stdbool.h>

#include "status.h"

#define CACHE_MAGAZINE_SLOTS 6
#define CACHE_MAX_OBJECT_SIZE (1u << 20)

/* Callbacks receive the `arg` given at create. The constructor returns
 * XEN_OK or a failure status (get then returns NULL). */
typedef xen_status (*cache_ctor_fn)(void *arg, void *object);
typedef void (*cache_dtor_fn)(void *arg, void *object);
typedef void (*cache_lock_fn)(void *arg);

struct cache_params {
	const char *name;	/* kept (truncated) for debug output */
	size_t size;		/* object bytes, 1..CACHE_MAX_OBJECT_SIZE, rounded up to 8 */
	unsigned reservation;	/* slots kept allocated (pre-allocated at create) */
	unsigned cap;		/* most objects out at once (incl. magazines); 0: no limit */
	cache_ctor_fn ctor;	/* optional */
	cache_dtor_fn dtor;	/* optional */
	/* The client's lock (optional, both or neither): held around every
	 * ctor and dtor call unless the caller says it already holds it. */
	cache_lock_fn acquire_lock;
	cache_lock_fn release_lock;
	void *arg;
};

struct cache;

struct cache_stats {
	unsigned long in_use;		/* slots taken from slabs (clients + magazines) */
	unsigned long in_magazines;	/* of those, parked in per-CPU magazines */
	unsigned long capacity;		/* slots in all slabs */
	unsigned long slabs;
};

/* -XEN_EINVAL for a bad size, reservation > cap (cap != 0) or only one lock
 * callback; -XEN_ENOMEM if the reservation cannot be allocated. Thread
 * context. */
xen_status cache_create(const struct cache_params *params, struct cache **out);
/* Every object must be back: -XEN_EBUSY (nothing freed) otherwise.
 * Runs the destructor on every constructed object, frees all memory. */
xen_status cache_destroy(struct cache *cache);

/* static inline void *cache_get(struct cache *cache, bool locked);
 *   A constructed object, or NULL (cap reached, no memory, ctor failed).
 *   `locked`: the caller already holds the client lock.
 * static inline void cache_put(struct cache *cache, void *object, bool locked);
 *   Give an object back (untouched, no dtor). Putting an object twice is a
 *   bug (os_bug); to the wrong cache too, once it reaches a slab.
 * Both are inline (cache_fast.h) so that callers such as the grant-entry
 * path pay no call for the magazine hit. */

/* Periodic upkeep (the OS layer calls it, upstream every 5 s): move
 * magazine contents back to slabs and free empty slabs so that idle
 * capacity halves, never below the reservation (allocated at create, so
 * capacity never drops under it and needs no refill). */
void cache_reclaim(struct cache *cache);

void cache_get_stats(struct cache *cache, struct cache_stats *stats);
const char *cache_name(const struct cache *cache);

#include "cache_fast.h"

#endif /* XB_CACHE_H */
