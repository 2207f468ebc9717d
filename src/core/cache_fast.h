/*
 * cache internals for the inline get/put fast path (included by cache.h;
 * nothing here is for callers to touch). The slow paths live in cache.c.
 */
#ifndef XB_CACHE_FAST_H
#define XB_CACHE_FAST_H

#include "compiler.h"

#define CACHE_OBJ_IN 0x1e1e1e1eu	/* in a slab slot or a magazine */
#define CACHE_OBJ_OUT 0x0b0b0b0bu	/* with a client */

/* Hidden in front of every object: finds the slab on put, catches double
 * puts, and remembers whether the ctor ran. Client bytes are never used
 * for cache bookkeeping, so constructed state survives put/get. */
struct cache_obj {
	struct cache_slab *slab;
	uint32_t state;
	uint32_t constructed;
} __attribute__((aligned(8)));

/* One per CPU. `busy` is taken with an atomic exchange: whoever sets it
 * owns the magazine until it stores 0. If the owner is preempted, other
 * threads on that CPU index fall to the slow path: nobody ever waits. */
struct cache_magazine {
	volatile uint32_t busy;
	uint32_t n;
	void *slot[CACHE_MAGAZINE_SLOTS];
};

/* Padded to a cache line (not aligned: os_alloc promises only the
 * platform's usual alignment). */
union cache_magazine_line {
	struct cache_magazine m;
	char line[64];
};

/* The first member of struct cache. */
struct cache_fast {
	unsigned ncpus;
	union cache_magazine_line *mag;
};

/* Slab paths, out of line so the fast path needs no register spills. */
__attribute__((noinline, cold)) void *cache_get_slow(struct cache *cache, bool locked);
__attribute__((noinline, cold)) void cache_put_slow(struct cache *cache, void *object);

static inline struct cache_obj *cache_obj_of(void *object)
{
	return (struct cache_obj *)object - 1;
}

/* True if the caller now owns m. */
static inline bool cache_magazine_claim(struct cache_magazine *m)
{
	return __atomic_exchange_n(&m->busy, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void cache_magazine_release(struct cache_magazine *m)
{
	__atomic_store_n(&m->busy, 0, __ATOMIC_RELEASE);
}

static inline void *cache_get(struct cache *cache, bool locked)
{
	struct cache_fast *f = (struct cache_fast *)(void *)cache;
	unsigned cpu = os_cpu_current();

	if (likely(cpu < f->ncpus)) {
		struct cache_magazine *m = &f->mag[cpu].m;

		if (likely(cache_magazine_claim(m))) {
			if (likely(m->n != 0)) {
				void *object = m->slot[--m->n];

				cache_magazine_release(m);
				cache_obj_of(object)->state = CACHE_OBJ_OUT;
				return object;
			}
			cache_magazine_release(m);
		}
	}
	return cache_get_slow(cache, locked);
}

static inline void cache_put(struct cache *cache, void *object, bool locked)
{
	struct cache_fast *f = (struct cache_fast *)(void *)cache;
	struct cache_obj *h = cache_obj_of(object);
	unsigned cpu = os_cpu_current();

	/* The slab path needs no client lock: nothing is constructed there. */
	(void)locked;
	BUG_ON(h->state != CACHE_OBJ_OUT);
	h->state = CACHE_OBJ_IN;
	if (likely(cpu < f->ncpus)) {
		struct cache_magazine *m = &f->mag[cpu].m;

		if (likely(cache_magazine_claim(m))) {
			bool parked = m->n < CACHE_MAGAZINE_SLOTS;

			if (parked)
				m->slot[m->n++] = object;
			cache_magazine_release(m);
			if (likely(parked))
				return;
		}
	}
	cache_put_slow(cache, object);
}

#endif /* XB_CACHE_FAST_H */
