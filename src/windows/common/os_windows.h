/*
 * OS services (src/core/os.h) for the Windows kernel, plus the few calls the
 * drivers make to set them up. Each driver image links its own copy.
 */
#ifndef XB_OS_WINDOWS_H
#define XB_OS_WINDOWS_H

#include <ntddk.h>

#include "os.h"
#include "status.h"

/* Pool tag of every os_alloc block ("XenB" in pool dumps). */
#define OS_WINDOWS_POOL_TAG 'BneX'

/* Resolve run-time routines, choose the pool type and start the work thread.
 * PASSIVE_LEVEL, once per image, before any other os_* call except os_cpuid
 * (detection may run first). Returns an NTSTATUS. */
NTSTATUS os_windows_init(void);
/* Stop the work thread (running what is still queued) and flush DPCs.
 * PASSIVE_LEVEL; the image's last call into the OS services. */
void os_windows_fini(void);

/* The IRQL os_spin_lock raises to (default DISPATCH_LEVEL). A driver whose
 * interrupt service routine takes core locks sets its interrupt's
 * synchronize IRQL here before connecting the interrupt. */
void os_windows_set_lock_irql(KIRQL irql);

/* The one mapping from the core's xen_status to NTSTATUS. */
NTSTATUS os_windows_status(xen_status status);

#endif /* XB_OS_WINDOWS_H */
