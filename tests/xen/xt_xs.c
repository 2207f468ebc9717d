/*
 * A minimal, synchronous xenstore client straight on the ring (no event
 * channel layer, polled with timed halts): the "basic" suite's raw ring
 * check and the coordination with dom0 in raw-ABI scenarios.
 */
#include "xt_xs.h"

static struct xenstore_domain_interface *xs_ring(uint32_t *port)
{
	uint64_t pfn = 0, p = 0;

	if (hvm_get_param(HVM_PARAM_STORE_PFN, &pfn) || hvm_get_param(HVM_PARAM_STORE_EVTCHN, &p) ||
	    !pfn)
		return NULL;
	*port = (uint32_t)p;
	return (void *)(uintptr_t)(pfn << 12);
}

static void xs_kick(uint32_t port)
{
	struct evtchn_send s = { .port = port };

	hypercall_event_channel_op(EVTCHNOP_send, &s);
}

/* Wait until `avail` bytes can be read from the response ring. */
static bool xs_wait_rsp(struct xenstore_domain_interface *xs, XENSTORE_RING_IDX cons, size_t avail,
			uint64_t deadline)
{
	while ((XENSTORE_RING_IDX)(READ_ONCE(xs->rsp_prod) - cons) < avail) {
		if (os_time_ns() > deadline)
			return false;
		guest_irq_disable();
		guest_halt_until(os_time_ns() + 1000 * 1000);
	}
	rmb();
	return true;
}

int xt_xs_request(uint32_t type, const void *payload, size_t plen, struct xsd_sockmsg *rsp,
		  char *body, size_t body_size)
{
	static uint32_t req_id;
	struct xsd_sockmsg req = { .type = type, .req_id = ++req_id, .tx_id = 0 };
	struct xenstore_domain_interface *xs;
	XENSTORE_RING_IDX prod, cons;
	uint64_t deadline = os_time_ns() + 10000ull * 1000 * 1000;
	uint32_t port;
	size_t i;

	xs = xs_ring(&port);
	if (!xs || plen > XENSTORE_PAYLOAD_MAX)
		return -XEN_EINVAL;
	req.len = (uint32_t)plen;
	/* Whole request must fit: the ring is idle between our requests. */
	prod = xs->req_prod;
	if (sizeof(req) + plen > XENSTORE_RING_SIZE - (prod - READ_ONCE(xs->req_cons)))
		return -XEN_EAGAIN;
	for (i = 0; i < sizeof(req); i++)
		xs->req[MASK_XENSTORE_IDX(prod++)] = ((const char *)&req)[i];
	for (i = 0; i < plen; i++)
		xs->req[MASK_XENSTORE_IDX(prod++)] = ((const char *)payload)[i];
	wmb();
	xs->req_prod = prod;
	xs_kick(port);

	cons = xs->rsp_cons;
	if (!xs_wait_rsp(xs, cons, sizeof(*rsp), deadline))
		return -XEN_ETIMEDOUT;
	for (i = 0; i < sizeof(*rsp); i++)
		((char *)rsp)[i] = xs->rsp[MASK_XENSTORE_IDX(cons + i)];
	if (rsp->len > XENSTORE_PAYLOAD_MAX || rsp->len >= body_size)
		return -XEN_E2BIG;
	if (!xs_wait_rsp(xs, cons, sizeof(*rsp) + rsp->len, deadline))
		return -XEN_ETIMEDOUT;
	for (i = 0; i < rsp->len; i++)
		body[i] = xs->rsp[MASK_XENSTORE_IDX(cons + sizeof(*rsp) + i)];
	body[rsp->len] = 0;
	mb();
	xs->rsp_cons = cons + (XENSTORE_RING_IDX)(sizeof(*rsp) + rsp->len);
	xs_kick(port);
	return rsp->req_id == req.req_id ? 0 : -XEN_EIO;
}

int xt_xs_read(const char *path, char *value, size_t size)
{
	struct xsd_sockmsg rsp;
	int rc = xt_xs_request(XS_READ, path, __builtin_strlen(path) + 1, &rsp, value, size);

	if (rc)
		return rc;
	return rsp.type == XS_READ ? 0 : -XEN_ENOENT;
}

int xt_xs_write(const char *path, const char *value)
{
	char buf[256], body[64];
	size_t pl = __builtin_strlen(path) + 1, vl = __builtin_strlen(value);
	struct xsd_sockmsg rsp;
	int rc;

	if (pl + vl > sizeof(buf))
		return -XEN_E2BIG;
	__builtin_memcpy(buf, path, pl);
	__builtin_memcpy(buf + pl, value, vl);
	rc = xt_xs_request(XS_WRITE, buf, pl + vl, &rsp, body, sizeof(body));
	if (rc)
		return rc;
	return rsp.type == XS_WRITE ? 0 : -XEN_EACCES;
}

int xt_xs_wait_value(const char *path, const char *want, uint64_t timeout_ms)
{
	uint64_t deadline = os_time_ns() + timeout_ms * 1000 * 1000;
	char v[128];

	for (;;) {
		if (xt_xs_read(path, v, sizeof(v)) == 0 && __builtin_strcmp(v, want) == 0)
			return 0;
		if (os_time_ns() > deadline)
			return -XEN_ETIMEDOUT;
		guest_irq_disable();
		guest_halt_until(os_time_ns() + 20 * 1000 * 1000);
	}
}
