/*
 * gnttab_foreign: map other domains' grants into this guest (the GNTTAB
 * interface's MapForeignPages / UnmapForeignPages).
 *
 * Grants are mapped with GNTTABOP_map_grant_ref (GNTMAP_host_map) at guest
 * frames taken, contiguously, from a hole the OS layer hands over once
 * (Windows: part of the platform device's memory BAR). Mappings are looked
 * up again by the address of their first page.
 */
#ifndef XB_GNTTAB_FOREIGN_H
#define XB_GNTTAB_FOREIGN_H

#include <stdbool.h>

#include "status.h"

/* Most pages in one mapping (one batched hypercall). */
#define GNTTAB_FOREIGN_MAX_PAGES 256u

/* Use guest frames [first_gfn, first_gfn + count) for mappings. Thread
 * context. -XEN_EEXIST if a hole is set already, -XEN_EINVAL for an
 * empty or overflowing range, -XEN_ENOMEM. */
xen_status gnttab_foreign_init(uint64_t first_gfn, uint64_t count);
/* -XEN_EBUSY (nothing done) while mappings exist. */
xen_status gnttab_foreign_fini(void);

/* Map refs[0..count) of `domid` at consecutive frames; *address receives
 * the guest-physical address of the first. All or nothing: on any failure
 * the pages already mapped are unmapped again. -XEN_EINVAL for count 0 or
 * above GNTTAB_FOREIGN_MAX_PAGES or a reserved domid, -XEN_ENOSPC if the
 * hole has no room, -XEN_ENODEV without a hole; a refused grant gives its
 * GNTST_* status as a Xen errno (see gnttab_foreign_status). Any context
 * up to DISPATCH_LEVEL. */
xen_status gnttab_map_foreign_pages(domid_t domid, unsigned count, const uint32_t *refs,
				    bool readonly, uint64_t *address);
/* Unmap a mapping by its address. -XEN_ENOENT if no mapping starts there;
 * if Xen refuses to unmap a page the mapping stays recorded (and its frames
 * stay out of the hole) and -XEN_EIO is returned, so a retry is possible. */
xen_status gnttab_unmap_foreign_pages(uint64_t address);

/* Hole frames never given back because Xen would not unmap them. */
unsigned long gnttab_foreign_lost_frames(void);

/* A GNTST_* value as a status: GNTST_okay -> 0, bad ref/handle/address ->
 * -XEN_EINVAL, bad domain -> -XEN_ESRCH, permission -> -XEN_EPERM, eagain
 * -> -XEN_EAGAIN, no space -> -XEN_ENOSPC, anything else -> -XEN_EIO. */
xen_status gnttab_foreign_status(int16_t gntst);

#endif /* XB_GNTTAB_FOREIGN_H */
