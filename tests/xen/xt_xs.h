/* Raw synchronous xenstore requests for scenarios (see xt_xs.c). Thread
 * context; each returns 0 or a negative Xen errno. Paths are relative to
 * the guest's home (/local/domain/<id>) unless they start with '/'. */
#ifndef XB_XT_XS_H
#define XB_XT_XS_H

#include "xt.h"
#include <xen/io/xs_wire.h>

/* One request; *rsp and body (NUL-terminated) receive the reply. */
int xt_xs_request(uint32_t type, const void *payload, size_t plen, struct xsd_sockmsg *rsp,
		  char *body, size_t body_size);
int xt_xs_read(const char *path, char *value, size_t size);
int xt_xs_write(const char *path, const char *value);
/* Poll path until it reads `want`; -XEN_ETIMEDOUT after timeout_ms. */
int xt_xs_wait_value(const char *path, const char *want, uint64_t timeout_ms);

#endif /* XB_XT_XS_H */
