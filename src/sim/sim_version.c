#include <string.h>

#include "sim_version.h"

static struct sim_version sim_ver;

static long sim_xenver_version(const uintptr_t args[5])
{
	if (sim_ver.use_raw_version)
		return sim_ver.raw_version;
	return (long)((uint32_t)sim_ver.major << 16 | sim_ver.minor);
}

static long sim_xenver_extraversion(const uintptr_t args[5])
{
	void *arg = (void *)args[1];

	if (!arg)
		return -XEN_EFAULT;
	memcpy(arg, sim_ver.extra, sizeof(sim_ver.extra));
	return 0;
}

static long sim_xenver_get_features(const uintptr_t args[5])
{
	struct xen_feature_info *fi = (void *)args[1];

	if (!fi)
		return -XEN_EFAULT;
	if (fi->submap_idx >= XENFEAT_NR_SUBMAPS)
		return -XEN_EINVAL;
	fi->submap = sim_ver.features[fi->submap_idx];
	return 0;
}

void sim_version_init(void)
{
	const struct sim_config *cfg = sim_config();

	memset(&sim_ver, 0, sizeof(sim_ver));
	sim_ver.major = cfg->xen_major;
	sim_ver.minor = cfg->xen_minor;
	memcpy(sim_ver.extra, ".0", 3);
	/* What Xen 4.17 reports to an HVM guest. */
	sim_ver.features[0] = 1u << XENFEAT_writable_page_tables |
			      1u << XENFEAT_writable_descriptor_tables |
			      1u << XENFEAT_auto_translated_physmap |
			      1u << XENFEAT_supervisor_mode_kernel |
			      1u << XENFEAT_hvm_callback_vector |
			      1u << XENFEAT_hvm_safe_pvclock | 1u << XENFEAT_hvm_pirqs;
	sim_register_hypercall_cmd(__HYPERVISOR_xen_version, XENVER_version, sim_xenver_version);
	sim_register_hypercall_cmd(__HYPERVISOR_xen_version, XENVER_extraversion,
				   sim_xenver_extraversion);
	sim_register_hypercall_cmd(__HYPERVISOR_xen_version, XENVER_get_features,
				   sim_xenver_get_features);
}

struct sim_version *sim_version(void)
{
	return &sim_ver;
}
