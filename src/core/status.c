#include "status.h"
#include "store_error.h"

struct status_entry {
	int value;
	const char *name;
};

/* Generated from Xen's own list; aliases (EWOULDBLOCK, EDEADLOCK) follow
 * their first spelling, so the first match wins. */
static const struct status_entry status_table[] = {
#define XEN_ERRNO(name, value) { value, #name },
#include <xen/errno.h>
};

/* Xen's name for -status, or NULL. */
static const char *status_lookup(xen_status status)
{
	size_t i;

	for (i = 0; i < sizeof(status_table) / sizeof(status_table[0]); i++)
		if (-status_table[i].value == status)
			return status_table[i].name;
	return NULL;
}

const char *status_name(xen_status status)
{
	const char *name;

	if (status == XEN_OK)
		return "OK";
	if (status == STORE_EQUOTA)
		return "EQUOTA";
	name = status_lookup(status);
	return name ? name : "E?";
}

bool status_is_xen_errno(xen_status status)
{
	return status < 0 && status_lookup(status) != NULL;
}
