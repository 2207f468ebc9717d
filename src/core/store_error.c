/*
 * xs_wire.h builds its xsd_errors table from the OS's errno macros. The core
 * has no OS errno, so give it Xen's: every name Xen defines becomes an
 * enumerator with Xen's value, and EINVAL is made visible to the header's
 * #ifdef. This must come before anything includes xs_wire.h.
 */
enum store_xen_errno {
#define XEN_ERRNO(name, value) name = value,
#include <xen/errno.h>
};
#define EINVAL EINVAL

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "store_error.h"

static const char store_equota_name[] = "EQUOTA";

static bool wire_equal(const char *a, uint32_t alen, const char *b)
{
	uint32_t blen = (uint32_t)__builtin_strlen(b);

	return alen == blen && __builtin_memcmp(a, b, blen) == 0;
}

xen_status store_error_from_wire(const char *payload, uint32_t len)
{
	uint32_t n = 0;
	size_t i;

	/* The name ends at its NUL; a payload without one is malformed. */
	while (n < len && payload[n] != '\0')
		n++;
	if (n == len)
		return -XEN_EBADMSG;
	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (wire_equal(payload, n, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	if (wire_equal(payload, n, store_equota_name))
		return STORE_EQUOTA;
	return -XEN_EBADMSG;
}

const char *store_error_to_wire(xen_status status)
{
	size_t i;

	if (status == STORE_EQUOTA)
		return store_equota_name;
	for (i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (-xsd_errors[i].errnum == status)
			return xsd_errors[i].errstring;
	return NULL;
}
