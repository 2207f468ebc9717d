#include "compiler.h"
#include "gnttab.h"
#include "hypercall.h"
#include "range_set.h"
#include "text.h"

#define GNTTAB_NAME_MAX 32

/* Whole-entry access to a grant_entry_v1_t (8 bytes, 8-aligned in its frame). */
typedef uint64_t __attribute__((may_alias)) gnttab_entry_word;
#define GNTTAB_IN_USE (GTF_reading | GTF_writing)

struct gnttab_frame {
	void *va;
	uint64_t pfn;
};

/* A cache object: owns one reference for as long as it is constructed. */
struct gnttab_entry {
	uint32_t ref;
	grant_entry_v1_t *shared;
};

/* A struct gnttab_cache is a struct cache of entries: no extra hop on the
 * fast path. */
static inline struct cache *gnttab_cache_of(struct gnttab_cache *gc)
{
	return (struct cache *)(void *)gc;
}

static struct {
	bool up;
	struct gnttab_frame_ops ops;
	struct gnttab_frame *frames;	/* max_frames slots; va set once allocated */
	unsigned max_frames;
	unsigned nr_frames;		/* mapped and on the free set; grows only */
	os_spinlock grow_lock;
	struct range_set *free;		/* references nobody holds */
	unsigned caches;
	unsigned long lost_refs;	/* could not go back to the free set (no memory) */
} gt;

static void *gnttab_page_alloc(void *ctx, uint64_t *pfn)
{
	(void)ctx;
	return os_page_alloc(pfn);
}

static void gnttab_page_free(void *ctx, void *va)
{
	(void)ctx;
	os_page_free(va);
}

static inline grant_entry_v1_t *gnttab_shared(uint32_t ref)
{
	grant_entry_v1_t *frame = gt.frames[ref / GNTTAB_ENTRIES_PER_FRAME].va;

	return &frame[ref % GNTTAB_ENTRIES_PER_FRAME];
}

static unsigned gnttab_mapped_frames(void)
{
	return __atomic_load_n(&gt.nr_frames, __ATOMIC_ACQUIRE);
}

/* ---- table size and frames ---- */

/* Xen's answer is outside input: only a self-consistent one is used. */
static xen_status gnttab_query_size(unsigned *max_frames)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	long rc = hypercall_grant_table_op(GNTTABOP_query_size, &q, 1);

	if (rc < 0)
		return hypercall_status(rc);
	if (rc > 0 || q.status != GNTST_okay || q.max_nr_frames == 0 ||
	    q.nr_frames > q.max_nr_frames)
		return -XEN_EIO;
	*max_frames = q.max_nr_frames < GNTTAB_MAX_FRAMES ? q.max_nr_frames : GNTTAB_MAX_FRAMES;
	return XEN_OK;
}

/* Place table frame idx at its page, allocating the page the first time.
 * A page stays recorded even if the hypercall fails, for the next try. */
static xen_status gnttab_map_frame(unsigned idx)
{
	struct gnttab_frame *f = &gt.frames[idx];
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_grant_table,
		.idx = idx,
	};
	long rc;

	if (!f->va) {
		f->va = gt.ops.alloc(gt.ops.ctx, &f->pfn);
		if (!f->va)
			return -XEN_ENOMEM;
	}
	xatp.gpfn = (xen_pfn_t)f->pfn;
	rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	if (rc < 0)
		return hypercall_status(rc);
	return rc == 0 ? XEN_OK : -XEN_EIO;
}

/* Add the next frame and free its references. grow_lock held. */
static xen_status gnttab_grow_locked(void)
{
	unsigned idx = gt.nr_frames;
	int64_t first = (int64_t)idx * GNTTAB_ENTRIES_PER_FRAME;
	uint64_t count = GNTTAB_ENTRIES_PER_FRAME;
	xen_status rc;

	if (idx >= gt.max_frames)
		return -XEN_ENOSPC;
	rc = gnttab_map_frame(idx);
	if (rc)
		return rc;
	if (idx == 0) {
		first = GNTTAB_RESERVED_REFS;
		count -= GNTTAB_RESERVED_REFS;
	}
	/* On failure the frame is mapped but not counted: the next grow maps
	 * the same index at the same page again, which Xen allows. */
	rc = range_set_put(gt.free, first, count);
	if (rc)
		return rc;
	__atomic_store_n(&gt.nr_frames, idx + 1, __ATOMIC_RELEASE);
	return XEN_OK;
}

static xen_status gnttab_ref_alloc(uint32_t *ref)
{
	for (;;) {
		int64_t r;
		os_lock_state s;
		xen_status rc;

		if (range_set_pop(gt.free, 1, &r) == XEN_OK) {
			*ref = (uint32_t)r;
			return XEN_OK;
		}
		s = os_spin_lock(&gt.grow_lock);
		/* Another CPU may have grown the table meanwhile. */
		rc = range_set_is_empty(gt.free) ? gnttab_grow_locked() : XEN_OK;
		os_spin_unlock(&gt.grow_lock, s);
		if (rc)
			return rc;
	}
}

static void gnttab_ref_free(uint32_t ref)
{
	if (range_set_put(gt.free, ref, 1) != XEN_OK)
		__atomic_fetch_add(&gt.lost_refs, 1, __ATOMIC_RELAXED);
}

/* ---- life cycle ---- */

static void gnttab_release_all(void)
{
	unsigned i;

	for (i = 0; gt.frames && i < gt.max_frames; i++)
		if (gt.frames[i].va)
			gt.ops.free(gt.ops.ctx, gt.frames[i].va);
	os_free(gt.frames);
	range_set_destroy(gt.free);
	__builtin_memset(&gt, 0, sizeof(gt));
}

xen_status gnttab_init(const struct gnttab_frame_ops *ops)
{
	static const struct gnttab_frame_ops page_ops = { gnttab_page_alloc, gnttab_page_free, NULL };
	unsigned max_frames = 0;
	xen_status rc;

	if (gt.up)
		return -XEN_EEXIST;
	if (ops && (!ops->alloc || !ops->free))
		return -XEN_EINVAL;
	rc = gnttab_query_size(&max_frames);
	if (rc)
		return rc;
	gt.ops = ops ? *ops : page_ops;
	gt.max_frames = max_frames;
	os_spin_init(&gt.grow_lock);
	gt.frames = os_alloc(max_frames * sizeof(*gt.frames));
	rc = gt.frames ? range_set_create("gnttab", &gt.free) : -XEN_ENOMEM;
	if (rc)
		goto fail;
	/* Frame 0 always: it holds the reserved references. */
	rc = gnttab_grow_locked();
	if (rc)
		goto fail;
	gt.up = true;
	return XEN_OK;

fail:
	gnttab_release_all();
	return rc;
}

xen_status gnttab_fini(void)
{
	if (!gt.up)
		return XEN_OK;
	if (__atomic_load_n(&gt.caches, __ATOMIC_ACQUIRE))
		return -XEN_EBUSY;
	gnttab_release_all();
	return XEN_OK;
}

xen_status gnttab_resume(void)
{
	unsigned i, n = gnttab_mapped_frames();
	xen_status rc;

	if (!gt.up)
		return -XEN_ENODEV;
	for (i = 0; i < n; i++) {
		rc = gnttab_map_frame(i);
		if (rc)
			return rc;
	}
	return XEN_OK;
}

unsigned gnttab_frames(void)
{
	return gnttab_mapped_frames();
}

unsigned gnttab_max_frames(void)
{
	return gt.max_frames;
}

unsigned long gnttab_lost_refs(void)
{
	return __atomic_load_n(&gt.lost_refs, __ATOMIC_RELAXED);
}

uint64_t gnttab_free_refs(void)
{
	return gt.up ? range_set_items(gt.free) : 0;
}

/* ---- the GTF protocol ---- */

/* A v1 entry as one value: frame (high half), domid, flags (low 16 bits),
 * so the fast path carries one register across the cache call. */
static inline uint64_t gnttab_image(domid_t domid, uint64_t pfn, bool readonly)
{
	uint32_t flags = GTF_permit_access | (uint32_t)readonly << _GTF_readonly;

	return (uint64_t)(uint32_t)pfn << 32 | ((uint32_t)domid << 16 | flags);
}

/* Fill the entry, then publish it. With 64-bit stores the entry (8 bytes,
 * 8-aligned) is written at once, so Xen sees all of it or none; otherwise
 * the release store orders frame and domid before the flags Xen checks. */
static inline void gnttab_grant(grant_entry_v1_t *e, uint64_t image)
{
#if UINTPTR_MAX > UINT32_MAX
	__atomic_store_n((gnttab_entry_word *)(void *)e, image, __ATOMIC_RELEASE);
#else
	e->frame = (uint32_t)(image >> 32);
	e->domid = (domid_t)(image >> 16);
	__atomic_store_n(&e->flags, (uint16_t)image, __ATOMIC_RELEASE);
#endif
}

/* One revoke attempt: clear a granted entry unless the backend has it
 * mapped or is copying it. The flags are read once and cleared only by a
 * CAS from that value, so a backend that maps meanwhile makes it fail. */
static inline bool gnttab_try_end_access(grant_entry_v1_t *e)
{
	uint16_t flags = __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);

	if (flags & GNTTAB_IN_USE)
		return false;
	if (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED))
		return false;
	/* Invalid now: Xen no longer reads or writes the rest. */
#if UINTPTR_MAX > UINT32_MAX
	__atomic_store_n((gnttab_entry_word *)(void *)e, 0, __ATOMIC_RELAXED);
#else
	e->domid = 0;
	e->frame = 0;
#endif
	return true;
}

/* Further attempts, `attempts` in all, yielding between them. */
static __attribute__((noinline, cold)) xen_status gnttab_end_access_retry(grant_entry_v1_t *e,
									   unsigned attempts)
{
	unsigned tries;

	for (tries = 1; tries < attempts; tries++) {
		/* Only a hint to let the backend run: the result does not matter. */
		(void)hypercall_sched_op(SCHEDOP_yield, NULL);
		if (gnttab_try_end_access(e))
			return XEN_OK;
	}
	return -XEN_EBUSY;
}

static inline xen_status gnttab_end_access(grant_entry_v1_t *e, unsigned attempts)
{
	if (likely(gnttab_try_end_access(e)))
		return XEN_OK;
	return gnttab_end_access_retry(e, attempts);
}

static xen_status gnttab_grant_args_valid(domid_t domid, uint64_t pfn)
{
	if (pfn > UINT32_MAX)
		return -XEN_ERANGE;
	if (domid >= DOMID_FIRST_RESERVED)
		return -XEN_EINVAL;
	return XEN_OK;
}

/* ---- entry caches ---- */

static xen_status gnttab_entry_ctor(void *arg, void *object)
{
	struct gnttab_entry *entry = object;
	xen_status rc;

	(void)arg;
	rc = gnttab_ref_alloc(&entry->ref);
	if (rc)
		return rc;
	entry->shared = gnttab_shared(entry->ref);
	return XEN_OK;
}

static void gnttab_entry_dtor(void *arg, void *object)
{
	struct gnttab_entry *entry = object;

	(void)arg;
	gnttab_ref_free(entry->ref);
}

xen_status gnttab_cache_create(const char *name, unsigned reservation, unsigned cap,
			       cache_lock_fn acquire_lock, cache_lock_fn release_lock,
			       void *arg, struct gnttab_cache **out)
{
	static const char suffix[] = "_gnttab";
	char full[GNTTAB_NAME_MAX];
	struct cache_params p = {
		.name = full,
		.size = sizeof(struct gnttab_entry),
		.reservation = reservation,
		.cap = cap,
		.ctor = gnttab_entry_ctor,
		.dtor = gnttab_entry_dtor,
		.acquire_lock = acquire_lock,
		.release_lock = release_lock,
		.arg = arg,
	};
	struct cache *cache;
	size_t n;
	xen_status rc;

	if (!gt.up)
		return -XEN_ENODEV;
	/* The name cut short enough that the whole suffix always fits. */
	n = text_copy(full, sizeof(full) - (sizeof(suffix) - 1), name);
	text_copy(full + n, sizeof(full) - n, suffix);
	rc = cache_create(&p, &cache);
	if (rc)
		return rc;
	__atomic_fetch_add(&gt.caches, 1, __ATOMIC_RELEASE);
	*out = (struct gnttab_cache *)(void *)cache;
	return XEN_OK;
}

xen_status gnttab_cache_destroy(struct gnttab_cache *gc)
{
	xen_status rc;

	if (!gc)
		return XEN_OK;
	rc = cache_destroy(gnttab_cache_of(gc));
	if (rc)
		return rc;
	__atomic_fetch_sub(&gt.caches, 1, __ATOMIC_RELEASE);
	return XEN_OK;
}

const char *gnttab_cache_name(const struct gnttab_cache *gc)
{
	return cache_name((const struct cache *)(const void *)gc);
}

xen_status gnttab_permit_foreign_access(struct gnttab_cache *gc, bool locked, domid_t domid,
					uint64_t pfn, bool readonly,
					struct gnttab_entry **out)
{
	struct gnttab_entry *entry;
	xen_status rc = gnttab_grant_args_valid(domid, pfn);
	uint64_t image = gnttab_image(domid, pfn, readonly);

	if (unlikely(rc))
		return rc;
	entry = cache_get(gnttab_cache_of(gc), locked);
	if (unlikely(!entry))
		return -XEN_ENOSPC;
	gnttab_grant(entry->shared, image);
	*out = entry;
	return XEN_OK;
}

xen_status gnttab_revoke_foreign_access(struct gnttab_cache *gc, bool locked,
					struct gnttab_entry *entry)
{
	xen_status rc = gnttab_end_access(entry->shared, GNTTAB_REVOKE_ATTEMPTS);

	if (unlikely(rc))
		return rc;
	cache_put(gnttab_cache_of(gc), entry, locked);
	return XEN_OK;
}

uint32_t gnttab_entry_ref(const struct gnttab_entry *entry)
{
	return entry->ref;
}

xen_status gnttab_query_reference(uint32_t ref, uint64_t *pfn, bool *readonly)
{
	grant_entry_v1_t *e;

	if (!gt.up || ref >= gnttab_mapped_frames() * GNTTAB_ENTRIES_PER_FRAME)
		return -XEN_EINVAL;
	e = gnttab_shared(ref);
	if (pfn)
		*pfn = READ_ONCE(e->frame);
	if (readonly)
		*readonly = (READ_ONCE(e->flags) & GTF_readonly) != 0;
	return XEN_OK;
}

/* ---- reserved block ---- */

static xen_status gnttab_reserved_entry(uint32_t ref, grant_entry_v1_t **e)
{
	if (!gt.up || ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= GNTTAB_RESERVED_REFS)
		return -XEN_EINVAL;
	*e = gnttab_shared(ref);
	return XEN_OK;
}

xen_status gnttab_permit_reserved(uint32_t ref, domid_t domid, uint64_t pfn, bool readonly)
{
	grant_entry_v1_t *e;
	xen_status rc = gnttab_reserved_entry(ref, &e);

	if (!rc)
		rc = gnttab_grant_args_valid(domid, pfn);
	if (rc)
		return rc;
	if (__atomic_load_n(&e->flags, __ATOMIC_ACQUIRE) != 0)
		return -XEN_EBUSY;
	gnttab_grant(e, gnttab_image(domid, pfn, readonly));
	return XEN_OK;
}

xen_status gnttab_revoke_reserved(uint32_t ref)
{
	grant_entry_v1_t *e;
	xen_status rc = gnttab_reserved_entry(ref, &e);

	return rc ? rc : gnttab_end_access(e, 1);
}
