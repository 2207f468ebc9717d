/* See xt_env.h. */
#include "xt_env.h"

static bool evtchn_is_up;
static struct store *store;
static struct evtchn_channel *store_ch;

static void upcall(void)
{
	evtchn_upcall(0);
}

xen_status xt_evtchn_up(void)
{
	char abi[8];
	xen_status rc;

	if (evtchn_is_up)
		return XEN_OK;
	evtchn_force_2level(guest_cmdline_get("abi", abi, sizeof(abi)) &&
			    __builtin_strcmp(abi, "2l") == 0);
	rc = evtchn_init();
	if (rc) {
		guest_printf("xt: evtchn_init: %d\n", rc);
		return rc;
	}
	guest_set_upcall(upcall);
	evtchn_is_up = true;
	return XEN_OK;
}

static bool store_irq(void *arg)
{
	struct store *s = __atomic_load_n((struct store **)arg, __ATOMIC_ACQUIRE);

	if (s)
		store_event(s);
	return s != NULL;
}

static void store_kick(void *ctx)
{
	evtchn_send(ctx);
}

struct store *xt_store(void)
{
	struct store_config cfg = { 0 };
	uint64_t pfn, port;
	struct store *s = NULL;
	xen_status rc;

	if (store)
		return store;
	if (xt_evtchn_up())
		return NULL;
	rc = hvm_get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (!rc)
		rc = hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (rc) {
		guest_printf("xt: store params: %d\n", rc);
		return NULL;
	}
	cfg.intf = (void *)(uintptr_t)(pfn << 12);
	cfg.timeout_ns = 20000ull * 1000 * 1000;
	/* The port is bound by the toolstack already: a fixed channel. The
	 * callback needs the client, which needs the kick: open first; the
	 * callback finds the client through `store` once it exists. */
	rc = evtchn_open_fixed((evtchn_port_t)port, false, store_irq, &store, &store_ch);
	if (rc) {
		guest_printf("xt: store channel: %d\n", rc);
		return NULL;
	}
	cfg.notify = store_kick;
	cfg.notify_ctx = store_ch;
	rc = store_create(&cfg, &s);
	if (rc) {
		guest_printf("xt: store_create: %d\n", rc);
		evtchn_close(store_ch);
		store_ch = NULL;
		return NULL;
	}
	__atomic_store_n(&store, s, __ATOMIC_RELEASE);
	evtchn_unmask(store_ch, false, true);
	return store;
}

size_t xt_pages_alloc(void *ctx, uint64_t *pfns, size_t count)
{
	size_t n;

	(void)ctx;
	for (n = 0; n < count; n++)
		if (!os_page_alloc(&pfns[n]))
			break;
	return n;
}

/* Identity-mapped kernel: a frame's address is its virtual address. */
void xt_pages_free(void *ctx, const uint64_t *pfns, size_t count)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < count; i++)
		os_page_free((void *)(uintptr_t)(pfns[i] * GUEST_PAGE_SIZE));
}

bool xt_wait(os_event *ev, uint64_t ms)
{
	return os_event_wait(ev, ms * 1000 * 1000);
}

xen_status xt_store_resume(void)
{
	uint64_t pfn, port;
	xen_status rc;

	if (!store)
		return -XEN_ENOTCONN;
	/* evtchn_resume left the old channel inactive: free it, bind anew. */
	if (store_ch)
		evtchn_close(store_ch);
	store_ch = NULL;
	rc = hvm_get_param(HVM_PARAM_STORE_PFN, &pfn);
	if (!rc)
		rc = hvm_get_param(HVM_PARAM_STORE_EVTCHN, &port);
	if (!rc)
		rc = evtchn_open_fixed((evtchn_port_t)port, false, store_irq, &store, &store_ch);
	if (rc)
		return rc;
	evtchn_unmask(store_ch, false, true);
	return store_resume(store, (void *)(uintptr_t)(pfn << 12), store_kick, store_ch);
}
