#include "cache.h"
#include "compiler.h"
#include "text.h"

#define CACHE_NAME_MAX 32
#define CACHE_SLAB_BYTES 4096u
#define CACHE_ALIGN 8u

#define ROUND_UP(x, a) (((x) + (a) - 1) / (a) * (a))

struct cache_slab {
	struct cache_slab *prev;
	struct cache_slab *next;
	struct cache *cache;
	char *objects;
	unsigned nslots;
	unsigned nfree;
	uint32_t free_idx[];	/* stack of free slot numbers, nfree deep */
};

struct cache_slab_list {
	struct cache_slab *head;
};

struct cache {
	struct cache_fast fast;	/* first: the inline get/put see only this */
	struct cache_params p;
	size_t stride;		/* header + object, rounded */
	unsigned slab_slots;
	size_t slab_bytes;
	size_t objects_offset;
	os_spinlock lock;	/* the slab lists and counters below */
	struct cache_slab_list partial;	/* slabs with a free slot */
	struct cache_slab_list full;
	unsigned long in_use;
	unsigned long capacity;
	unsigned long slabs;
	char name[CACHE_NAME_MAX];
};

static inline void *cache_object_at(struct cache_slab *slab, size_t stride, unsigned i)
{
	return (struct cache_obj *)(slab->objects + (size_t)i * stride) + 1;
}

/* ---- slab lists (cache lock held) ---- */

static void slab_link(struct cache_slab_list *list, struct cache_slab *slab)
{
	slab->prev = NULL;
	slab->next = list->head;
	if (list->head)
		list->head->prev = slab;
	list->head = slab;
}

static void slab_unlink(struct cache_slab_list *list, struct cache_slab *slab)
{
	if (slab->prev)
		slab->prev->next = slab->next;
	else
		list->head = slab->next;
	if (slab->next)
		slab->next->prev = slab->prev;
	slab->prev = slab->next = NULL;
}

/* A new slab, all slots free, none constructed; linked on the partial list. */
static bool slab_add(struct cache *c)
{
	struct cache_slab *slab = os_alloc(c->slab_bytes);
	unsigned i;

	if (!slab)
		return false;
	slab->cache = c;
	slab->objects = (char *)slab + c->objects_offset;
	slab->nslots = c->slab_slots;
	slab->nfree = c->slab_slots;
	for (i = 0; i < slab->nslots; i++) {
		struct cache_obj *h = cache_obj_of(cache_object_at(slab, c->stride, i));

		h->slab = slab;
		h->state = CACHE_OBJ_IN;
		/* Popped from the top: slot 0 first. */
		slab->free_idx[i] = slab->nslots - 1 - i;
	}
	slab_link(&c->partial, slab);
	c->capacity += slab->nslots;
	c->slabs++;
	return true;
}

/* Take a free slot, adding a slab if needed and the cap allows. */
static void *slab_take(struct cache *c)
{
	struct cache_slab *slab;

	if (c->p.cap && c->in_use >= c->p.cap)
		return NULL;
	if (!c->partial.head && !slab_add(c))
		return NULL;
	slab = c->partial.head;
	if (--slab->nfree == 0) {
		slab_unlink(&c->partial, slab);
		slab_link(&c->full, slab);
	}
	c->in_use++;
	return cache_object_at(slab, c->stride, slab->free_idx[slab->nfree]);
}

static void slab_give(struct cache *c, void *object)
{
	struct cache_obj *h = cache_obj_of(object);
	struct cache_slab *slab = h->slab;
	size_t offset = (size_t)((char *)h - slab->objects);

	BUG_ON(slab->cache != c || offset % c->stride || slab->nfree >= slab->nslots);
	if (slab->nfree++ == 0) {
		slab_unlink(&c->full, slab);
		slab_link(&c->partial, slab);
	}
	slab->free_idx[slab->nfree - 1] = (uint32_t)(offset / c->stride);
	c->in_use--;
}

/* ---- client lock and callbacks ---- */

static void cache_client_lock(struct cache *c, bool locked)
{
	if (!locked && c->p.acquire_lock)
		c->p.acquire_lock(c->p.arg);
}

static void cache_client_unlock(struct cache *c, bool locked)
{
	if (!locked && c->p.release_lock)
		c->p.release_lock(c->p.arg);
}

/* Destruct and free slabs already unlinked (cache lock not held). */
static void slabs_free(struct cache *c, struct cache_slab *chain)
{
	while (chain) {
		struct cache_slab *slab = chain;
		unsigned i;

		chain = slab->next;
		for (i = 0; i < slab->nslots; i++) {
			void *object = cache_object_at(slab, c->stride, i);

			if (cache_obj_of(object)->constructed && c->p.dtor)
				c->p.dtor(c->p.arg, object);
		}
		os_free(slab);
	}
}

/* ---- magazines ---- */

/* Another CPU's parked object, when ours are gone and the slabs are at the
 * cap or out of memory. */
static void *magazine_steal(struct cache *c)
{
	unsigned cpu;

	for (cpu = 0; cpu < c->fast.ncpus; cpu++) {
		struct cache_magazine *m = &c->fast.mag[cpu].m;
		void *object = NULL;

		if (!cache_magazine_claim(m))
			continue;
		if (m->n)
			object = m->slot[--m->n];
		cache_magazine_release(m);
		if (object)
			return object;
	}
	return NULL;
}

/* Move every unclaimed magazine's objects back to the slabs. Cache lock held. */
static void magazines_flush(struct cache *c)
{
	unsigned cpu;

	for (cpu = 0; cpu < c->fast.ncpus; cpu++) {
		struct cache_magazine *m = &c->fast.mag[cpu].m;

		if (!cache_magazine_claim(m))
			continue;
		while (m->n)
			slab_give(c, m->slot[--m->n]);
		cache_magazine_release(m);
	}
}

/* ---- create / destroy ---- */

/* Slab geometry: as many slots as fit a page, at least one. */
static void cache_geometry(struct cache *c)
{
	size_t head = ROUND_UP(sizeof(struct cache_slab), CACHE_ALIGN);
	unsigned n;

	c->stride = sizeof(struct cache_obj) + ROUND_UP(c->p.size, CACHE_ALIGN);
	n = (unsigned)((CACHE_SLAB_BYTES - head) / (c->stride + sizeof(uint32_t)));
	if (n == 0)
		n = 1;
	c->slab_slots = n;
	c->objects_offset = head + ROUND_UP(n * sizeof(uint32_t), CACHE_ALIGN);
	c->slab_bytes = c->objects_offset + (size_t)n * c->stride;
}

static bool cache_params_valid(const struct cache_params *p)
{
	if (p->size == 0 || p->size > CACHE_MAX_OBJECT_SIZE)
		return false;
	if (p->cap && p->reservation > p->cap)
		return false;
	return !p->acquire_lock == !p->release_lock;
}

xen_status cache_create(const struct cache_params *params, struct cache **out)
{
	struct cache *c;
	unsigned ncpus = os_cpu_count();

	if (!cache_params_valid(params))
		return -XEN_EINVAL;
	c = os_alloc(sizeof(*c));
	if (!c)
		return -XEN_ENOMEM;
	c->p = *params;
	c->p.name = NULL;
	text_copy(c->name, sizeof(c->name), params->name);
	cache_geometry(c);
	os_spin_init(&c->lock);
	c->fast.ncpus = ncpus ? ncpus : 1;
	c->fast.mag = os_alloc(c->fast.ncpus * sizeof(*c->fast.mag));
	if (!c->fast.mag)
		goto fail;
	while (c->capacity < c->p.reservation)
		if (!slab_add(c))
			goto fail;
	*out = c;
	return XEN_OK;

fail:
	slabs_free(c, c->partial.head);
	os_free(c->fast.mag);
	os_free(c);
	return -XEN_ENOMEM;
}

xen_status cache_destroy(struct cache *c)
{
	struct cache_slab *chain;
	os_lock_state s;

	if (!c)
		return XEN_OK;
	s = os_spin_lock(&c->lock);
	magazines_flush(c);
	if (c->in_use) {
		os_spin_unlock(&c->lock, s);
		return -XEN_EBUSY;
	}
	chain = c->partial.head;
	c->partial.head = NULL;
	os_spin_unlock(&c->lock, s);
	cache_client_lock(c, false);
	slabs_free(c, chain);
	cache_client_unlock(c, false);
	os_free(c->fast.mag);
	os_free(c);
	return XEN_OK;
}

const char *cache_name(const struct cache *c)
{
	return c->name;
}

/* ---- get / put ---- */

void *cache_get_slow(struct cache *c, bool locked)
{
	struct cache_obj *h;
	os_lock_state s;
	void *object;

	cache_client_lock(c, locked);
	s = os_spin_lock(&c->lock);
	object = slab_take(c);
	os_spin_unlock(&c->lock, s);
	if (!object)
		object = magazine_steal(c);
	if (!object)
		goto out;
	h = cache_obj_of(object);
	if (!h->constructed) {
		if (c->p.ctor && c->p.ctor(c->p.arg, object) != XEN_OK) {
			s = os_spin_lock(&c->lock);
			slab_give(c, object);
			os_spin_unlock(&c->lock, s);
			object = NULL;
			goto out;
		}
		h->constructed = 1;
	}
	h->state = CACHE_OBJ_OUT;
out:
	cache_client_unlock(c, locked);
	return object;
}

void cache_put_slow(struct cache *c, void *object)
{
	os_lock_state s = os_spin_lock(&c->lock);

	slab_give(c, object);
	os_spin_unlock(&c->lock, s);
}

/* ---- upkeep ---- */

void cache_reclaim(struct cache *c)
{
	struct cache_slab *chain = NULL, *slab, *next;
	unsigned long target;
	os_lock_state s;

	cache_client_lock(c, false);
	s = os_spin_lock(&c->lock);
	magazines_flush(c);
	target = c->in_use + (c->capacity - c->in_use) / 2;
	if (target < c->p.reservation)
		target = c->p.reservation;
	for (slab = c->partial.head; slab; slab = next) {
		next = slab->next;
		if (slab->nfree != slab->nslots || c->capacity - slab->nslots < target)
			continue;
		slab_unlink(&c->partial, slab);
		slab->next = chain;
		chain = slab;
		c->capacity -= slab->nslots;
		c->slabs--;
	}
	os_spin_unlock(&c->lock, s);
	slabs_free(c, chain);
	cache_client_unlock(c, false);
}

void cache_get_stats(struct cache *c, struct cache_stats *stats)
{
	os_lock_state s = os_spin_lock(&c->lock);
	unsigned cpu;

	stats->in_use = c->in_use;
	stats->capacity = c->capacity;
	stats->slabs = c->slabs;
	stats->in_magazines = 0;
	for (cpu = 0; cpu < c->fast.ncpus; cpu++)
		stats->in_magazines += __atomic_load_n(&c->fast.mag[cpu].m.n, __ATOMIC_RELAXED);
	os_spin_unlock(&c->lock, s);
}
