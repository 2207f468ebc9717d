#include "store_ring.h"
#include "compiler.h"

#define RING_SIZE XENSTORE_RING_SIZE

_Static_assert((RING_SIZE & (RING_SIZE - 1)) == 0, "ring size is a power of two");

xen_status store_ring_connect(struct store_ring *ring,
			      struct xenstore_domain_interface *intf)
{
	XENSTORE_RING_IDX req_cons, req_prod, rsp_cons, rsp_prod;

	store_ring_disconnect(ring);
	req_cons = READ_ONCE(intf->req_cons);
	req_prod = READ_ONCE(intf->req_prod);
	rsp_cons = READ_ONCE(intf->rsp_cons);
	rsp_prod = READ_ONCE(intf->rsp_prod);
	rmb();
	if (req_prod - req_cons > RING_SIZE || rsp_prod - rsp_cons > RING_SIZE)
		return -XEN_ERANGE;
	ring->intf = intf;
	ring->req_prod = req_prod;
	/* Replies already on a fresh page answer requests of a previous life:
	 * they can match nothing of ours, so skip them. */
	ring->rsp_cons = rsp_prod;
	WRITE_ONCE(intf->rsp_cons, rsp_prod);
	ring->moved = rsp_prod != rsp_cons;
	return XEN_OK;
}

void store_ring_disconnect(struct store_ring *ring)
{
	os_free(ring->body);
	ring->body = NULL;
	ring->body_got = 0;
	ring->hdr_got = 0;
	ring->intf = NULL;
	ring->moved = false;
}

/* Where idx falls in the ring, and how many of n bytes fit before the end
 * of the ring (the rest wraps to its start). */
static uint32_t ring_split(XENSTORE_RING_IDX idx, uint32_t n, uint32_t *off)
{
	*off = MASK_XENSTORE_IDX(idx);
	return RING_SIZE - *off < n ? RING_SIZE - *off : n;
}

int store_ring_write(struct store_ring *ring, const void *buf, uint32_t len)
{
	struct xenstore_domain_interface *intf = ring->intf;
	XENSTORE_RING_IDX cons, prod = ring->req_prod;
	uint32_t space, n, off, first;

	cons = READ_ONCE(intf->req_cons);
	mb();	/* see the peer's consumption before overwriting that space */
	if (prod - cons > RING_SIZE)
		return -XEN_ERANGE;
	space = RING_SIZE - (prod - cons);
	n = len < space ? len : space;
	if (n == 0)
		return 0;
	first = ring_split(prod, n, &off);
	__builtin_memcpy(intf->req + off, buf, first);
	__builtin_memcpy(intf->req, (const char *)buf + first, n - first);
	wmb();	/* bytes before the index that publishes them */
	ring->req_prod = prod + n;
	WRITE_ONCE(intf->req_prod, ring->req_prod);
	ring->moved = true;
	return (int)n;
}

/* Copy up to len available reply bytes; returns the count or -XEN_ERANGE. */
static int ring_read(struct store_ring *ring, void *buf, uint32_t len)
{
	struct xenstore_domain_interface *intf = ring->intf;
	XENSTORE_RING_IDX prod, cons = ring->rsp_cons;
	uint32_t avail, n, off, first;

	prod = READ_ONCE(intf->rsp_prod);
	rmb();	/* the index before the bytes it covers */
	avail = prod - cons;
	if (avail > RING_SIZE)
		return -XEN_ERANGE;
	n = len < avail ? len : avail;
	if (n == 0)
		return 0;
	first = ring_split(cons, n, &off);
	__builtin_memcpy(buf, intf->rsp + off, first);
	__builtin_memcpy((char *)buf + first, intf->rsp, n - first);
	mb();	/* finish reading before handing the space back */
	ring->rsp_cons = cons + n;
	WRITE_ONCE(intf->rsp_cons, ring->rsp_cons);
	ring->moved = true;
	return (int)n;
}

int store_ring_recv(struct store_ring *ring, struct xsd_sockmsg *hdr, char **body)
{
	int n;

	if (ring->hdr_got < sizeof(ring->hdr)) {
		n = ring_read(ring, (char *)&ring->hdr + ring->hdr_got,
			      (uint32_t)sizeof(ring->hdr) - ring->hdr_got);
		if (n < 0)
			return n;
		ring->hdr_got += (uint32_t)n;
		if (ring->hdr_got < sizeof(ring->hdr))
			return 0;
		/* The header is now private: validate the copy, never the ring. */
		if (ring->hdr.len > XENSTORE_PAYLOAD_MAX)
			return -XEN_EMSGSIZE;
	}
	if (!ring->body) {
		ring->body = os_alloc((size_t)ring->hdr.len + 2);
		if (!ring->body)
			return -XEN_ENOMEM;
		ring->body_got = 0;
	}
	if (ring->body_got < ring->hdr.len) {
		n = ring_read(ring, ring->body + ring->body_got,
			      ring->hdr.len - ring->body_got);
		if (n < 0)
			return n;
		ring->body_got += (uint32_t)n;
		if (ring->body_got < ring->hdr.len)
			return 0;
	}
	*hdr = ring->hdr;
	*body = ring->body;
	ring->body = NULL;
	ring->body_got = 0;
	ring->hdr_got = 0;
	return 1;
}

void store_ring_report(struct store_ring *ring, uint32_t error)
{
	struct xenstore_domain_interface *intf = ring->intf;

	if (intf && (READ_ONCE(intf->server_features) & XENSTORE_SERVER_FEATURE_ERROR))
		WRITE_ONCE(intf->error, error);
}
