/* The console ring against a hostile backend: the input is a script of
 * backend index writes and guest reads/writes. Nothing may overflow, the
 * counts stay within the request and the ring, and a broken ring stays
 * broken until re-enabled. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

static unsigned kicks;

static void notify(void *ctx)
{
	(void)ctx;
	kicks++;
}

static uint32_t take32(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < 4 && *p < end; i++)
		v |= (uint32_t)*(*p)++ << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xencons_interface ring;
	static struct console c;
	const uint8_t *p = data, *end = data + size;
	char buf[4096];
	size_t done, len;
	xen_status st;

	memset(&ring, 0, sizeof(ring));
	console_init(&c);
	ring.out_prod = take32(&p, end);
	ring.out_cons = take32(&p, end);
	ring.in_prod = take32(&p, end);
	ring.in_cons = take32(&p, end);
	if (console_enable(&c, &ring, notify, NULL) != XEN_OK)
		return 0;
	while (p < end) {
		uint8_t op = *p++;

		len = (size_t)(op >> 3) * 37 % sizeof(buf);
		switch (op & 7) {
		case 0:
			ring.out_cons = take32(&p, end);
			break;
		case 1:
			ring.in_prod = take32(&p, end);
			break;
		case 2:
			memset(buf, 'w', len);
			st = console_write(&c, buf, len, &done);
			if (done > len || done > sizeof(ring.out) || (st != XEN_OK && done))
				abort();
			break;
		case 3:
			st = console_read(&c, buf, len, &done);
			if (done > len || done > sizeof(ring.in) || (st != XEN_OK && done))
				abort();
			break;
		case 4:
			console_log_write(&c, "line\n", 5);
			break;
		case 5:
			st = console_status(&c);
			(void)console_can_read(&c);
			(void)console_can_write(&c);
			if (st != XEN_OK && console_status(&c) != st)
				abort();
			break;
		case 6:
			/* Our own indices scribbled on: must not matter. */
			ring.out_prod = take32(&p, end);
			ring.in_cons = take32(&p, end);
			break;
		default:
			console_disable(&c);
			if (console_write(&c, "x", 1, &done) != -XEN_ENOTCONN || done)
				abort();
			(void)console_enable(&c, &ring, notify, NULL);
			break;
		}
	}
	console_disable(&c);
	return 0;
}
