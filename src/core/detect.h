/*
 * Xen detection through the CPUID leaves Xen reserves (xen/arch-x86/cpuid.h),
 * and a check of the version the hypervisor reports through XENVER_*.
 */
#ifndef XB_DETECT_H
#define XB_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* First and last leaf scanned, in steps of DETECT_LEAF_STEP: Xen's leaves
 * move to 0x40000100 when it also offers Viridian at 0x40000000. */
#define DETECT_FIRST_BASE 0x40000000u
#define DETECT_LAST_BASE 0x4000ff00u
#define DETECT_LEAF_STEP 0x100u

struct detect_info {
	uint32_t base;		/* leaf holding the "XenVMMXenVMM" signature */
	uint32_t max_leaf;	/* highest Xen leaf (base + 2 at least) */
	uint16_t major, minor;	/* from base + 1 */
	uint32_t hypercall_msr;	/* from base + 2: writing a frame installs the page */
	uint32_t hypercall_pages;	/* from base + 2, >= 1 */
	uint32_t hvm_features;	/* XEN_HVM_CPUID_* from base + 4, 0 if absent */
};

/* Find Xen. Touches ONLY CPUID (safe on bare metal and under other
 * hypervisors). Returns XEN_OK and fills *info; -XEN_ENODEV when no leaf
 * carries Xen's signature; -XEN_ENXIO when Xen's signature is there but its
 * leaves are unusable (max leaf below base + 2, no hypercall page or MSR).
 * *info is zeroed on failure. Any context. */
xen_status detect_xen(struct detect_info *info);

/* What XENVER_* reported, validated. */
struct detect_version {
	uint16_t major, minor;
	char extra[XEN_EXTRAVERSION_LEN];	/* NUL-terminated, printable ASCII */
	uint32_t features;	/* XENFEAT_* submap 0 */
	bool cpuid_mismatch;	/* XENVER_version differs from CPUID base + 1 */
};

/* Read and validate the version through hypercalls (hypercall_init must have
 * succeeded). A failing hypercall's status is returned as is (-XEN_ENOSYS
 * without a hypercall page); a negative result that is not a Xen errno gives
 * -XEN_EIO. An extraversion that is not terminated within its 16 bytes is
 * cut, non-printable bytes become '?'. A version differing from CPUID's is
 * logged at WARNING and flagged, not fatal. Logs "XEN <major>.<minor><extra>"
 * at INFO on success. Thread context. */
xen_status detect_version_check(const struct detect_info *info, struct detect_version *out);

/* True if feature XENFEAT_<bit> is in the submap detect_version_check read. */
bool detect_has_feature(const struct detect_version *version, unsigned bit);

#endif /* XB_DETECT_H */
