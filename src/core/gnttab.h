/*
 * gnttab: the guest's version 1 grant table (the GNTTAB interface children
 * receive).
 *
 * The table starts with one frame and grows a frame at a time, up to the
 * maximum GNTTABOP_query_size reports, as entries run out. Frames are
 * placed with XENMEM_add_to_physmap(XENMAPSPACE_grant_table) at frames the
 * OS layer supplies. References 0..GNTTAB_RESERVED_REFS-1 are never handed
 * out: 0 and 1 are the toolstack's console and store grants, 2..7 are
 * reserved by Xen convention, the rest serve the crash-dump path
 * (gnttab_permit_reserved). Free references live in a range_set; entries
 * reach clients through a cache (one grant reference per cache object), so
 * permit/revoke take no lock on their fast path.
 *
 * Mapping other domains' grants is gnttab_foreign.h.
 *
 * Entry flags are shared with Xen and the backend: every revoke follows the
 * GTF protocol (flags read once per attempt, cleared only by a
 * compare-and-swap while neither GTF_reading nor GTF_writing is set).
 */
#ifndef XB_GNTTAB_H
#define XB_GNTTAB_H

#include "cache.h"
#include "status.h"

#define GNTTAB_ENTRIES_PER_FRAME (4096u / sizeof(grant_entry_v1_t))
#define GNTTAB_RESERVED_REFS 32u
#define GNTTAB_CONSOLE_REF 0u
#define GNTTAB_STORE_REF 1u
/* Our bound on the table whatever Xen reports (512 Ki references). */
#define GNTTAB_MAX_FRAMES 1024u
/* Revoke attempts, with SCHEDOP_yield between them, before giving up. */
#define GNTTAB_REVOKE_ATTEMPTS 100u

/* Where grant frames go. alloc returns a resident page and its frame
 * (Windows: a page of the platform device's memory hole); free gives it
 * back. NULL ops: os_page_alloc / os_page_free. */
struct gnttab_frame_ops {
	void *(*alloc)(void *ctx, uint64_t *pfn);
	void (*free)(void *ctx, void *va);
	void *ctx;
};

/* Query the table size and map frame 0. Needs hypercall_init. Thread
 * context. -XEN_EEXIST if already up; -XEN_EINVAL if ops lacks alloc or
 * free; -XEN_EIO if Xen's answer is not
 * credible (bad status, no frames, nr > max); hypercall and allocation
 * failures pass through. A maximum above GNTTAB_MAX_FRAMES is clamped. */
xen_status gnttab_init(const struct gnttab_frame_ops *ops);
/* Tear down: -XEN_EBUSY (nothing done) while entry caches exist. The
 * frames go back through ops->free; they are not removed from the physmap
 * (on real Xen they still show the table, so ops->free must not hand them
 * to ordinary use: a hole allocator can simply keep them). Thread context. */
xen_status gnttab_fini(void);
/* After resume or migration: put every frame back at its old frame number.
 * Before any other use. The frames then show the new domain's table: on
 * real Xen (4.17, xl save/restore, measured) every entry is empty but the
 * toolstack's seeds (refs 0 and 1). Handed-out entries stay their owners'
 * and revoke cleanly; owners grant again when they reconnect. */
xen_status gnttab_resume(void);

/* Frames mapped now, the most we will map, and free references. */
unsigned gnttab_frames(void);
unsigned gnttab_max_frames(void);
uint64_t gnttab_free_refs(void);
/* References dropped because the free set could not take them back (no
 * memory for a range node): 0 unless memory ran out. */
unsigned long gnttab_lost_refs(void);

/* ---- entry caches (the interface's CreateCache/Permit/Revoke) ---- */

struct gnttab_cache;
struct gnttab_entry;

/* A cache of entries named "<name>_gnttab"; reservation/cap/lock callbacks
 * as for cache_create (the lock callbacks wrap reference allocation).
 * -XEN_ENODEV before gnttab_init. */
xen_status gnttab_cache_create(const char *name, unsigned reservation, unsigned cap,
			       cache_lock_fn acquire_lock, cache_lock_fn release_lock,
			       void *arg, struct gnttab_cache **out);
/* Every entry must have been revoked: -XEN_EBUSY otherwise. */
xen_status gnttab_cache_destroy(struct gnttab_cache *gc);
const char *gnttab_cache_name(const struct gnttab_cache *gc);

/* Grant `domid` access to frame `pfn`. -XEN_ENOSPC when no entry can be had
 * (cap, table at its maximum, no memory); -XEN_ERANGE if pfn does not fit
 * a v1 entry; -XEN_EINVAL for a reserved domid. Any context <= DISPATCH. */
xen_status gnttab_permit_foreign_access(struct gnttab_cache *gc, bool locked, domid_t domid,
					uint64_t pfn, bool readonly,
					struct gnttab_entry **entry);
/* End the grant. If the backend still has it mapped or is copying it after
 * GNTTAB_REVOKE_ATTEMPTS tries, -XEN_EBUSY: the entry stays the caller's
 * (still granted, never reused) and revoke may be retried later. On
 * success the entry is cleared and goes back to the cache; revoking it
 * again (a use after free) is caught as a bug by the cache. */
xen_status gnttab_revoke_foreign_access(struct gnttab_cache *gc, bool locked,
					struct gnttab_entry *entry);
/* The entry's reference (always >= GNTTAB_RESERVED_REFS). */
uint32_t gnttab_entry_ref(const struct gnttab_entry *entry);

/* Frame and read-only flag of any reference inside the mapped table (used
 * for the toolstack's console and store grants); -XEN_EINVAL beyond it.
 * Outputs may be NULL. */
xen_status gnttab_query_reference(uint32_t ref, uint64_t *pfn, bool *readonly);

/* ---- the reserved block (crash dump path: no allocation, no lock) ---- */

/* ref in [GNTTAB_NR_RESERVED_ENTRIES, GNTTAB_RESERVED_REFS): -XEN_EINVAL
 * otherwise; -XEN_EBUSY if that reference is granted already. */
xen_status gnttab_permit_reserved(uint32_t ref, domid_t domid, uint64_t pfn, bool readonly);
/* One revoke attempt without yielding; -XEN_EBUSY while in use. */
xen_status gnttab_revoke_reserved(uint32_t ref);

#endif /* XB_GNTTAB_H */
