/* bus_enumerate and the PnP ID builders on untrusted xenstore directory
 * payloads: the output must be a well-formed list of supported names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"

static const char supported[] = "VIF\0VBD\0VKBD\0IFACE\0CONS\0";
static const char synthetic[] = "IFACE\0CONS\0";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[512], ids[1024];
	size_t need = 0, pos, n;
	unsigned rejected;
	/* The first byte picks the output buffer size, to cover ENOBUFS. */
	size_t out_size = size ? (data[0] * 2u) % sizeof(out) : sizeof(out);
	xen_status st;

	if (size)
		data++, size--;
	st = bus_enumerate((const char *)data, size, supported, sizeof(supported),
			   synthetic, sizeof(synthetic), out, out_size, &need, &rejected);
	if (st == -XEN_ENOBUFS) {
		if (need <= out_size)
			abort();
		return 0;
	}
	if (st != XEN_OK || need == 0 || need > out_size)
		abort();
	for (pos = 0; out[pos]; pos += n + 1) {
		n = strlen(out + pos);
		if (pos + n >= need || !bus_list_contains(supported, sizeof(supported), out + pos))
			abort();
		if (bus_hardware_ids("XP0001", out + pos, ids, sizeof(ids), NULL) != XEN_OK)
			abort();
	}
	if (pos + 1 != need)
		abort();
	return 0;
}
