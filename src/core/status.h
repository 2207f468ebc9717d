/*
 * The core's one status type: 0 for success, a negative Xen errno value
 * (XEN_EINVAL, ... from Xen's public errno.h) on failure. Hypercall results
 * pass through unchanged; the Windows layer maps statuses to NTSTATUS in one
 * place.
 */
#ifndef XB_STATUS_H
#define XB_STATUS_H

#include "xen_abi.h"

typedef int xen_status;

#define XEN_OK 0

/* Stable upper-case name of a status for logs ("OK", "EINVAL", ...);
 * "E?" for values outside Xen's list. Never NULL. */
const char *status_name(xen_status status);

#endif /* XB_STATUS_H */
