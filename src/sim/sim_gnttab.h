/*
 * Model of the guest's version 1 grant table and of a backend domain that
 * uses it. The table lives in the guest pages the guest placed with
 * XENMEM_add_to_physmap(XENMAPSPACE_grant_table); the model reads and
 * writes entries there as Xen would (GTF_reading/GTF_writing with
 * compare-and-swap on the flags and domid together).
 *
 * Handles: GNTTABOP_query_size, GNTTABOP_map_grant_ref/unmap_grant_ref
 * (the guest mapping other domains' grants), XENMAPSPACE_grant_table and
 * SCHEDOP_yield (a backend holding a mapping may let go after some yields).
 */
#ifndef XB_SIM_GNTTAB_H
#define XB_SIM_GNTTAB_H

#include "sim.h"

#define SIM_GNTTAB_FOREVER UINT32_MAX

/* Register the handlers (after sim_init; state is dropped by sim_fini).
 * Defaults: 1 frame set up, at most 64 (Xen's default max_grant_frames). */
void sim_gnttab_init(void);

/* What GNTTABOP_query_size answers (tests may set absurd values). */
void sim_gnttab_set_size(uint32_t nr_frames, uint32_t max_frames);
void sim_gnttab_set_query_status(int16_t status);

/* Toolstack: write entry `ref` of frame 0 before the guest maps it (the
 * console and store grants). -1 if ref is outside frame 0 or it is mapped. */
int sim_gnttab_seed(uint32_t ref, domid_t domid, uint32_t frame, uint16_t flags);

/* Guest frame that holds table frame idx, or 0 if not placed. */
uint64_t sim_gnttab_frame_gpfn(uint32_t idx);
/* Table frames the guest placed since start or the last resume. */
uint32_t sim_gnttab_frames_placed(void);

/* ---- the backend ---- */

/* Map guest grant `ref` as domain `backend`: GNTST_okay and *handle, or a
 * GNTST_* error (bad ref, not permitted for that domain, write to a
 * read-only grant). Sets GTF_reading (and GTF_writing if writable). */
int16_t sim_gnttab_map(domid_t backend, uint32_t ref, bool readonly, uint32_t *handle);
/* Unmap; clears GTF_writing/GTF_reading when no other mapping needs them.
 * GNTST_bad_handle for an unknown handle, GNTST_general_error while the
 * mapping is held (sim_gnttab_hold). */
int16_t sim_gnttab_unmap(uint32_t handle);
/* Copy bytes of the granted page. GNTST_permission_denied for a write
 * through a read-only mapping, GNTST_bad_copy_arg outside the page. */
int16_t sim_gnttab_read(uint32_t handle, size_t offset, void *buf, size_t len);
int16_t sim_gnttab_write(uint32_t handle, size_t offset, const void *buf, size_t len);
/* Fault mode: the backend refuses to unmap; it lets go by itself after the
 * guest has yielded `yields` times (SIM_GNTTAB_FOREVER: never). */
void sim_gnttab_hold(uint32_t handle, uint32_t yields);
/* A transient access (as GNTTABOP_copy): GTF_reading (GTF_writing) set on
 * `ref` until sim_gnttab_copy_end. Same checks and results as map. */
int16_t sim_gnttab_copy_begin(domid_t backend, uint32_t ref, bool write, uint32_t *handle);
void sim_gnttab_copy_end(uint32_t handle);

/* Live backend mappings and copies, in all and of one reference. */
unsigned sim_gnttab_mappings(void);
unsigned sim_gnttab_ref_mappings(uint32_t ref);
/* SCHEDOP_yield calls seen. */
unsigned long sim_gnttab_yields(void);

/* ---- other domains' grants, mapped by the guest ---- */

/* Domain `domid` grants `ref` on `page` (4 KiB of host memory the test
 * owns) to the guest. GNTTABOP_map_grant_ref (GNTMAP_host_map) copies the
 * page to the guest frame at host_addr; unmap copies it back if the
 * mapping was writable (the model cannot alias memory). -1 if full. */
int sim_gnttab_foreign_grant(domid_t domid, uint32_t ref, void *page, bool readonly);
/* Guest mappings of foreign grants now live. */
unsigned sim_gnttab_foreign_mappings(void);
/* Fault mode: the next `count` unmap ops answer GNTST_general_error. */
void sim_gnttab_foreign_fail_unmaps(unsigned count);
/* Fault mode: the next unmap batch processes its first `after` ops (their
 * statuses are set), then fails with -XEN_EFAULT, as Xen does when it
 * cannot read a later op. */
void sim_gnttab_foreign_fault_unmap_batch(unsigned after);

/* Resume/migration into a new domain: the guest must place every frame
 * again; backend mappings are gone (their flags cleared first); as on real
 * Xen (measured: xl save/restore, Xen 4.17) the placed frames show a fresh
 * table: every entry empty but the toolstack's seeds (console, store). */
void sim_gnttab_resume(void);

#endif /* XB_SIM_GNTTAB_H */
