/*
 * Xen detection. CPUID results and XENVER_* results come from the hypervisor
 * (or from whatever else answers CPUID on bare metal): each is read once
 * into a local and checked before use.
 */
#include "compiler.h"
#include "detect.h"
#include "hypercall.h"
#include "log.h"
#include "text.h"

static bool detect_signature(const uint32_t r[4])
{
	return r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
	       r[3] == XEN_CPUID_SIGNATURE_EDX;
}

/* Fill *info from Xen's leaves at base; false if they are unusable. */
static bool detect_at(uint32_t base, uint32_t max_leaf, struct detect_info *info)
{
	uint32_t r[4] = { 0 };

	if (max_leaf < base + 2)
		return false;
	/* Xen's range ends where the next block would start. */
	if (max_leaf > base + DETECT_LEAF_STEP - 1)
		max_leaf = base + DETECT_LEAF_STEP - 1;
	info->base = base;
	info->max_leaf = max_leaf;
	os_cpuid(base + 1, 0, r);
	info->major = (uint16_t)(r[0] >> 16);
	info->minor = (uint16_t)r[0];
	__builtin_memset(r, 0, sizeof(r));
	os_cpuid(base + 2, 0, r);
	info->hypercall_pages = r[0];
	info->hypercall_msr = r[1];
	if (info->hypercall_pages == 0 || info->hypercall_msr == 0)
		return false;
	if (max_leaf >= base + 4) {
		__builtin_memset(r, 0, sizeof(r));
		os_cpuid(base + 4, 0, r);
		info->hvm_features = r[0];
	}
	return true;
}

xen_status detect_xen(struct detect_info *info)
{
	xen_status rc = -XEN_ENODEV;

	for (uint32_t base = DETECT_FIRST_BASE; base <= DETECT_LAST_BASE;
	     base += DETECT_LEAF_STEP) {
		uint32_t r[4] = { 0 };

		__builtin_memset(info, 0, sizeof(*info));
		os_cpuid(base, 0, r);
		if (!detect_signature(r))
			continue;
		if (detect_at(base, r[0], info))
			return XEN_OK;
		rc = -XEN_ENXIO;
	}
	__builtin_memset(info, 0, sizeof(*info));
	return rc;
}

/* Xen's extraversion need not be terminated or printable. */
static void detect_copy_extra(struct detect_version *out, const char *raw)
{
	size_t n = 0;

	while (n < XEN_EXTRAVERSION_LEN - 1 && raw[n])
		n++;
	text_printable(out->extra, raw, n);
}

xen_status detect_version_check(const struct detect_info *info, struct detect_version *out)
{
	xen_extraversion_t raw;
	struct xen_feature_info fi = { .submap_idx = 0 };
	const char *what = "XENVER_version";
	long rc;
	xen_status st;

	__builtin_memset(out, 0, sizeof(*out));
	rc = hypercall_xen_version(XENVER_version, NULL);
	st = hypercall_status(rc);
	if (st)
		goto fail;
	if ((uint64_t)rc >> 32) {
		st = -XEN_EIO;	/* major.minor is 32 bits */
		goto fail;
	}
	out->major = (uint16_t)((unsigned long)rc >> 16);
	out->minor = (uint16_t)rc;
	out->cpuid_mismatch = out->major != info->major || out->minor != info->minor;
	if (out->cpuid_mismatch)
		log_printf(LOG_WARNING, "detect: XENVER_version %u.%u, CPUID %u.%u\n",
			   out->major, out->minor, info->major, info->minor);

	what = "XENVER_extraversion";
	__builtin_memset(raw, 0, sizeof(raw));
	st = hypercall_status(hypercall_xen_version(XENVER_extraversion, raw));
	if (st)
		goto fail;
	detect_copy_extra(out, raw);

	what = "XENVER_get_features";
	st = hypercall_status(hypercall_xen_version(XENVER_get_features, &fi));
	if (st)
		goto fail;
	out->features = fi.submap;
	log_printf(LOG_INFO, "XEN %u.%u%s (features %08x)\n", out->major, out->minor,
		   out->extra, out->features);
	return XEN_OK;
fail:
	log_printf(LOG_ERROR, "detect: %s failed: %s\n", what, status_name(st));
	__builtin_memset(out, 0, sizeof(*out));
	return st;
}

bool detect_has_feature(const struct detect_version *version, unsigned bit)
{
	return bit < 32 && (version->features & (1u << bit));
}
