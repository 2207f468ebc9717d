/* control/shutdown values: parse never reads past len, and the handler
 * only acknowledges or suspends for the exact words. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shutdown.h"

static const uint8_t *val;
static size_t val_len;
static unsigned writes, suspends;

static xen_status f_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	(void)ctx;
	(void)node;
	memcpy(buf, val, val_len < size ? val_len : size);
	*len = val_len;
	return XEN_OK;
}

static xen_status f_write(void *ctx, const char *node, const char *value)
{
	(void)ctx;
	(void)node;
	(void)value;
	writes++;
	return XEN_OK;
}

static xen_status f_suspend(void *ctx)
{
	(void)ctx;
	suspends++;
	return XEN_OK;
}

static bool f_report(void *ctx, enum shutdown_action a)
{
	(void)ctx;
	return a == SHUTDOWN_ACTION_POWEROFF;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct shutdown_ops ops = { NULL, f_read, f_write, NULL, NULL, f_suspend, f_report };
	enum shutdown_action a, seen;
	uint8_t *copy = malloc(size ? size : 1);	/* exact size: ASan sees over-reads */

	memcpy(copy, data, size);
	a = shutdown_parse((const char *)copy, size);
	val = copy;
	val_len = size;
	writes = suspends = 0;
	if (shutdown_handle(&ops, &seen) != XEN_OK || seen != a)
		abort();
	if (suspends != (a == SHUTDOWN_ACTION_SUSPEND))
		abort();
	if (writes != (a == SHUTDOWN_ACTION_SUSPEND || a == SHUTDOWN_ACTION_POWEROFF))
		abort();
	if (a == SHUTDOWN_ACTION_SUSPEND && (size != 7 || memcmp(copy, "suspend", 7)))
		abort();
	free(copy);
	return 0;
}
