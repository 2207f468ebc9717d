/*
 * Hypercalls: the hypercall page and one typed wrapper per Xen hypercall.
 * Results are Xen's: >= 0 success (some calls return a count or value),
 * negative Xen errno on failure. Wrappers never interpret results; callers
 * validate them (a hypervisor result is outside input too).
 */
#ifndef XB_HYPERCALL_H
#define XB_HYPERCALL_H

#include "status.h"

/* Install the hypercall page through `msr` (CPUID leaf base+2 EBX, see
 * detect.h). -XEN_ENOMEM if the OS has no page for it. Call once, thread
 * context, before any other hypercall; again after resume is harmless. */
xen_status hypercall_init(uint32_t msr);
/* True once hypercall_init succeeded. */
bool hypercall_ready(void);
/* Forget the page (tests; the Windows layer on unload). */
void hypercall_fini(void);

/* Any context. Each returns -XEN_ENOSYS if the page is not installed. */
long hypercall_memory_op(unsigned cmd, void *arg);
long hypercall_event_channel_op(int cmd, void *arg);
long hypercall_grant_table_op(unsigned cmd, void *uop, unsigned count);
long hypercall_sched_op(int cmd, void *arg);
long hypercall_hvm_op(unsigned op, void *arg);
long hypercall_vcpu_op(int cmd, unsigned vcpu, void *extra);
long hypercall_xen_version(int cmd, void *arg);
long hypercall_console_io(int cmd, unsigned count, char *buf);

/* A hypercall's result as a status: XEN_OK for rc >= 0, rc for a Xen errno,
 * -XEN_EIO for any other negative value (a result outside the errno range
 * must not be truncated into another status, or into XEN_OK). Callers that
 * use a positive result check it themselves. */
xen_status hypercall_status(long rc);

/* HVM parameters of the calling domain (HVM_PARAM_*): store and console
 * frames and ports, callback IRQ. */
xen_status hvm_get_param(uint32_t index, uint64_t *value);
xen_status hvm_set_param(uint32_t index, uint64_t value);

#endif /* XB_HYPERCALL_H */
