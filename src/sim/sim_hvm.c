#include <string.h>

#include "sim_hvm.h"

static struct {
	uint64_t params[HVM_NR_PARAMS];
	unsigned long guest_sets;
} hvm;

static long sim_hvm_param(const uintptr_t args[5], bool set)
{
	struct xen_hvm_param *p = (void *)args[1];

	if (!p)
		return -XEN_EFAULT;
	if (p->domid != DOMID_SELF && p->domid != sim_config()->domid)
		return -XEN_EPERM;
	if (p->index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (set) {
		hvm.params[p->index] = p->value;
		hvm.guest_sets++;
	} else {
		p->value = hvm.params[p->index];
	}
	return 0;
}

static long sim_hvm_get_param(const uintptr_t args[5])
{
	return sim_hvm_param(args, false);
}

static long sim_hvm_set_param(const uintptr_t args[5])
{
	return sim_hvm_param(args, true);
}

void sim_hvm_init(void)
{
	memset(&hvm, 0, sizeof(hvm));
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_get_param, sim_hvm_get_param);
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_set_param, sim_hvm_set_param);
}

void sim_hvm_set(uint32_t index, uint64_t value)
{
	if (index < HVM_NR_PARAMS)
		hvm.params[index] = value;
}

uint64_t sim_hvm_get(uint32_t index)
{
	return index < HVM_NR_PARAMS ? hvm.params[index] : 0;
}

unsigned long sim_hvm_guest_sets(void)
{
	return hvm.guest_sets;
}
