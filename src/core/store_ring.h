/*
 * XenStore transport: the shared page of Xen's io/xs_wire.h, seen from the
 * guest. Moves bytes between the two rings and frames replies into whole
 * messages. Every index the peer owns is read once per pass and checked; the
 * indices we own are shadowed privately, so a peer scribbling on them cannot
 * steer our copies. Not locked: the caller (store.c) serialises all calls.
 */
#ifndef XB_STORE_RING_H
#define XB_STORE_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "status.h"

struct store_ring {
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX req_prod;	/* shadow of the index we own */
	XENSTORE_RING_IDX rsp_cons;	/* shadow of the index we own */
	/* Reply being framed: header bytes, then a body buffer of len + 2. */
	struct xsd_sockmsg hdr;
	uint32_t hdr_got;
	char *body;
	uint32_t body_got;
	bool moved;			/* bytes moved since the last notify */
};

/* Attach to a (possibly new) page. Any partial reply is dropped and stale
 * replies left on the page are skipped. -XEN_ERANGE if the page's indices are
 * inconsistent. Any context up to DISPATCH. */
xen_status store_ring_connect(struct store_ring *ring,
			      struct xenstore_domain_interface *intf);
/* Forget the page and free a partial reply. */
void store_ring_disconnect(struct store_ring *ring);

/* Copy up to len bytes into the request ring. Returns the bytes written
 * (0 when full) or -XEN_ERANGE when the peer's consumer index is invalid. */
int store_ring_write(struct store_ring *ring, const void *buf, uint32_t len);

/* Frame the next reply. Returns 1 with *hdr and *body (len + 2 zeroed bytes,
 * so it is NUL- and double-NUL-terminated; the caller frees it with os_free)
 * when a whole message arrived, 0 when more bytes are needed, -XEN_ERANGE on
 * a bad producer index, -XEN_EMSGSIZE when a header announces more than
 * XENSTORE_PAYLOAD_MAX, -XEN_ENOMEM when no body buffer could be had (the
 * bytes stay on the ring; call again later). */
int store_ring_recv(struct store_ring *ring, struct xsd_sockmsg *hdr, char **body);

/* Tell the peer why we gave up on the connection (XENSTORE_ERROR_*), if it
 * advertises the error field. */
void store_ring_report(struct store_ring *ring, uint32_t error);

#endif /* XB_STORE_RING_H */
