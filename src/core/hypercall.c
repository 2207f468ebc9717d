#include "compiler.h"
#include "hypercall.h"

static const uint8_t *hypercall_page;

xen_status hypercall_init(uint32_t msr)
{
	uint64_t pfn;
	void *page = os_hypercall_page(&pfn);

	if (!page)
		return -XEN_ENOMEM;
	/* Xen writes the stubs into the page when the MSR names its address. */
	os_wrmsr(msr, pfn << 12);
	hypercall_page = page;
	return XEN_OK;
}

bool hypercall_ready(void)
{
	return hypercall_page != NULL;
}

void hypercall_fini(void)
{
	hypercall_page = NULL;
}

static long hypercall5(unsigned op, uintptr_t a1, uintptr_t a2, uintptr_t a3,
		       uintptr_t a4, uintptr_t a5)
{
	if (unlikely(!hypercall_page))
		return -XEN_ENOSYS;
	return os_hypercall(hypercall_page + 32 * op, a1, a2, a3, a4, a5);
}

long hypercall_memory_op(unsigned cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_memory_op, cmd, (uintptr_t)arg, 0, 0, 0);
}

long hypercall_event_channel_op(int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_event_channel_op, (uintptr_t)(unsigned)cmd,
			  (uintptr_t)arg, 0, 0, 0);
}

long hypercall_grant_table_op(unsigned cmd, void *uop, unsigned count)
{
	return hypercall5(__HYPERVISOR_grant_table_op, cmd, (uintptr_t)uop, count, 0, 0);
}

long hypercall_sched_op(int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_sched_op, (uintptr_t)(unsigned)cmd, (uintptr_t)arg,
			  0, 0, 0);
}

long hypercall_hvm_op(unsigned op, void *arg)
{
	return hypercall5(__HYPERVISOR_hvm_op, op, (uintptr_t)arg, 0, 0, 0);
}

long hypercall_vcpu_op(int cmd, unsigned vcpu, void *extra)
{
	return hypercall5(__HYPERVISOR_vcpu_op, (uintptr_t)(unsigned)cmd, vcpu,
			  (uintptr_t)extra, 0, 0);
}

long hypercall_xen_version(int cmd, void *arg)
{
	return hypercall5(__HYPERVISOR_xen_version, (uintptr_t)(unsigned)cmd,
			  (uintptr_t)arg, 0, 0, 0);
}

long hypercall_console_io(int cmd, unsigned count, char *buf)
{
	return hypercall5(__HYPERVISOR_console_io, (uintptr_t)(unsigned)cmd, count,
			  (uintptr_t)buf, 0, 0);
}

xen_status hypercall_status(long rc)
{
	if (rc >= 0)
		return XEN_OK;
	if (rc < -4095 || !status_is_xen_errno((xen_status)rc))
		return -XEN_EIO;
	return (xen_status)rc;
}

xen_status hvm_get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	xen_status st = hypercall_status(hypercall_hvm_op(HVMOP_get_param, &p));

	if (st == XEN_OK)
		*value = p.value;
	return st;
}

xen_status hvm_set_param(uint32_t index, uint64_t value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index, .value = value };
	return hypercall_status(hypercall_hvm_op(HVMOP_set_param, &p));
}
