/*
 * XenStore error names (the strings xenstored sends in XS_ERROR replies) and
 * the core statuses they map to. The names come from Xen's xsd_errors table;
 * each maps to its Xen errno, except EQUOTA (oxenstored's quota error), which
 * has no Xen errno and gets STORE_EQUOTA, a value outside Xen's range.
 */
#ifndef XB_STORE_ERROR_H
#define XB_STORE_ERROR_H

#include <stdint.h>

#include "status.h"

#define STORE_EQUOTA (-1000)

/* Status for an XS_ERROR payload of len bytes (NUL-terminated name).
 * Unknown or malformed names give -XEN_EBADMSG. */
xen_status store_error_from_wire(const char *payload, uint32_t len);

/* Wire name for a status ("ENOENT", "EQUOTA"), or NULL if xenstored has no
 * name for it. */
const char *store_error_to_wire(xen_status status);

#endif /* XB_STORE_ERROR_H */
