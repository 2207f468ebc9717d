/*
 * shared_info: the page Xen shares with the guest (XENMAPSPACE_shared_info):
 * per-vCPU info (upcall pending/mask, 2-level selector, system time), the
 * 2-level pending and mask bitmaps, and the wallclock.
 *
 * Xen writes this page at any time: every field is read once per use.
 */
#ifndef XB_SHARED_INFO_H
#define XB_SHARED_INFO_H

#include <stdbool.h>

#include "status.h"

/* Bits per 2-level word and words in the 2-level bitmaps (64x64 on x86-64,
 * 32x32 on x86-32). */
#define SHARED_INFO_WORD_BITS (sizeof(xen_ulong_t) * 8)
#define SHARED_INFO_2L_PORTS ((unsigned)EVTCHN_2L_NR_CHANNELS)

/* Map the shared info page. The page comes from os_page_alloc the first time
 * and is kept for the life of the image (Xen owns the frame at that GFN once
 * mapped, so it is never handed back to the OS); calling again (after
 * resume) re-maps the same frame. Thread or DISPATCH context.
 * Returns the XENMEM_add_to_physmap status or -XEN_ENOMEM. */
xen_status shared_info_init(void);
/* Forget the mapping (the page stays reserved, see above). */
void shared_info_fini(void);

/* The mapped page, or NULL before shared_info_init succeeded. */
struct shared_info *shared_info_get(void);
/* vcpu_info of `cpu`, or NULL if not mapped or cpu has none in the shared
 * page (cpu >= XEN_LEGACY_MAX_VCPUS). Any context. */
struct vcpu_info *shared_info_vcpu(unsigned cpu);

/* SHARED_INFO interface primitives. Any context; port must be < 2L ports
 * (checked: out-of-range ports are ignored / read as not pending). */
bool shared_info_upcall_supported(unsigned cpu);
/* Read and clear evtchn_upcall_pending of `cpu`. */
bool shared_info_upcall_pending(unsigned cpu);
void shared_info_evtchn_ack(unsigned port);
void shared_info_evtchn_mask(unsigned port);
/* Clear the mask bit; returns whether the port is pending. */
bool shared_info_evtchn_unmask(unsigned port);
bool shared_info_evtchn_is_pending(unsigned port);
/* 2-level scan of pending & ~mask over the words `cpu`'s selector names
 * (the selector is consumed). Calls fn(arg, port) per port, does not ack.
 * Returns the OR of the results. Any context, upcall excluded on `cpu`. */
bool shared_info_evtchn_poll(unsigned cpu, bool (*fn)(void *arg, unsigned port), void *arg);

/* Time. tsc is the caller's current TSC (the core has no TSC access). */

/* Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01 (Unix's). */
#define SHARED_INFO_FILETIME_UNIX_OFFSET 11644473600ull

struct shared_info_time {
	uint64_t wc_sec;	/* wallclock at system time 0, Unix epoch */
	uint32_t wc_nsec;
	uint64_t system_ns;	/* vCPU system time, extrapolated to tsc */
};
/* Consistent snapshot of the wallclock and `cpu`'s system time. -XEN_ENODEV
 * if unmapped or no vcpu_info, -XEN_EBUSY if Xen kept the versions odd or
 * changing (bounded retries). */
xen_status shared_info_time(unsigned cpu, uint64_t tsc, struct shared_info_time *t);
/* Current time as 100 ns units since 1601-01-01 (Windows FILETIME). */
xen_status shared_info_filetime(unsigned cpu, uint64_t tsc, uint64_t *filetime);
/* One read of `cpu`'s vcpu_time_info (version and flags included) into
 * out: true if consistent (the version even and unchanged across it), false
 * if Xen was updating it (read again) or there is no such vcpu_info. Any
 * context. */
bool shared_info_vcpu_time(unsigned cpu, struct vcpu_time_info *out);
/* System time from one vcpu_time_info snapshot: the formula in xen.h. */
uint64_t shared_info_scale_tsc(const struct vcpu_time_info *ti, uint64_t tsc);

#endif /* XB_SHARED_INFO_H */
