/*
 * The core's one status type: 0 for success, a negative Xen errno value
 * (XEN_EINVAL, ... from Xen's public errno.h) on failure. Hypercall errors
 * pass through unchanged (hypercall_status turns a negative result that is
 * not a Xen errno into -XEN_EIO); the Windows layer maps statuses to NTSTATUS
 * in one place.
 */
#ifndef XB_STATUS_H
#define XB_STATUS_H

#include <stdbool.h>

#include "xen_abi.h"

typedef int xen_status;

#define XEN_OK 0

/* Stable upper-case name of a status for logs ("OK", "EINVAL", ...);
 * "E?" for values outside Xen's list. Never NULL. */
const char *status_name(xen_status status);
/* True if status is one of Xen's negative errno values (not XEN_OK, not a
 * core-private status such as STORE_EQUOTA). */
bool status_is_xen_errno(xen_status status);

#endif /* XB_STATUS_H */
