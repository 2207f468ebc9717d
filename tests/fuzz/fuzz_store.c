/*
 * libFuzzer harness for the XenStore client: the input is a script of what a
 * hostile daemon does to the shared page (reply bytes, any index values)
 * interleaved with client activity (requests in flight, a registered watch,
 * polls, deferred work). The client must never crash, read or write out of
 * bounds, or leak. Self-contained: links with src/core, src/host, src/sim.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "store.h"
#include "store_watch.h"

static _Alignas(4096) struct xenstore_domain_interface page;

static void notify(void *ctx)
{
	(void)ctx;
}

static void on_done(void *ctx, xen_status status, char *body, uint32_t len)
{
	(void)ctx;
	(void)status;
	/* Touch every byte the client says it handed over. */
	if (body && len)
		*(volatile char *)&body[len - 1] = body[len - 1];
	store_free(body);
}

static void on_watch(void *ctx, const char *path)
{
	(void)ctx;
	*(volatile size_t *)ctx = strlen(path);
}

static void put_rsp(const uint8_t *data, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		page.rsp[MASK_XENSTORE_IDX(page.rsp_prod + i)] = (char)data[i];
	page.rsp_prod += len;
}

static uint32_t take32(const uint8_t **p, size_t *n)
{
	uint32_t v = 0;

	while (*n && v < 0x01000000u) {
		v = v << 8 | **p;
		(*p)++;
		(*n)--;
	}
	return v;
}

static void submit(struct store *s, uint8_t sel)
{
	static const uint32_t types[] = { XS_READ, XS_DIRECTORY, XS_GET_PERMS, XS_WRITE,
					  XS_TRANSACTION_START, XS_WATCH };
	struct store_piece p = { "a/b", 4 };

	store_submit(s, types[sel % 6], NULL, &p, 1, on_done, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct xsd_sockmsg watch_ok = { XS_WATCH, 1, 0, 3 };
	struct store_config cfg = { &page, notify, NULL, NULL, NULL, 1000000 };
	struct store_watch *w = NULL;
	volatile size_t seen = 0;
	struct store *s;
	uint32_t n;
	uint8_t op;

	/* The error-name parser on its own. */
	(void)store_error_from_wire((const char *)data, (uint32_t)size);

	host_time_virtual(true);
	memset(&page, 0, sizeof(page));
	if (store_create(&cfg, &s))
		abort();
	/* A watch whose XS_WATCH reply (req_id 1) is already waiting. */
	put_rsp((const uint8_t *)&watch_ok, sizeof(watch_ok));
	put_rsp((const uint8_t *)"OK", 3);
	if (store_watch_add(s, NULL, "a", on_watch, (void *)&seen, NULL, &w))
		abort();
	while (size > 0) {
		op = *data++;
		size--;
		switch (op & 7) {
		case 0:	/* honest bytes */
		case 1:
			n = op >> 3;
			if (n > size)
				n = (uint32_t)size;
			if (page.rsp_prod - page.rsp_cons + n <= XENSTORE_RING_SIZE)
				put_rsp(data, n);
			data += n;
			size -= n;
			break;
		case 2:
			page.rsp_prod = take32(&data, &size);
			break;
		case 3:
			page.req_cons = take32(&data, &size);
			break;
		case 4:
			submit(s, op >> 3);
			break;
		case 5:
			host_run_work();
			break;
		default:
			store_poll(s);
			break;
		}
	}
	store_poll(s);
	host_run_work();
	/* An abandoned watch is freed by destroy. */
	store_destroy(s);
	host_reset();
	if (host_live_allocations() != 0)
		abort();
	return 0;
}
