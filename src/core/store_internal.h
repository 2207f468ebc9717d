/* Shared by store.c and store_watch.c only: the client's state. */
#ifndef XB_STORE_INTERNAL_H
#define XB_STORE_INTERNAL_H

#include "compiler.h"
#include "store.h"
#include "store_ring.h"
#include "store_watch.h"

struct store_request {
	struct store_request *next;
	struct xsd_sockmsg hdr;
	uint32_t sent;			/* bytes of header + payload on the ring */
	store_done_fn done;		/* NULL: a synchronous waiter owns it */
	void *ctx;
	os_event event;
	volatile uint32_t complete;
	xen_status status;
	char *body;
	uint32_t body_len;
	bool orphan;			/* waiter gave up: free on completion */
	bool lost_to_resume;		/* failed because the ring went away */
	char payload[];
};

struct store_watch_event {
	struct store_watch_event *next;
	char *body;			/* the path, then the token */
};

struct store_watch {
	struct store_watch *next;
	store_watch_fn fn;
	void *ctx;
	os_event *event;
	uint32_t id;
	uint32_t resume_generation;
	bool registered;		/* the daemon of this connection has it */
	bool removed;
	bool running;			/* callback or re-registration under way */
	bool overflow;
	unsigned nevents;
	struct store_watch_event *ev_head, *ev_tail;
	char token[16];
	char path[];
};

struct store {
	os_spinlock lock;
	struct store_ring ring;
	void (*notify)(void *ctx);
	void *notify_ctx;
	void (*log)(void *ctx, const char *what, uint32_t a, uint32_t b);
	void *log_ctx;
	uint64_t timeout_ns;
	xen_status conn_error;
	bool suspended;
	uint32_t generation;		/* bumped by each suspend/resume */
	uint32_t next_req_id;
	struct store_request *head, *tail;	/* in flight, in ring order */
	struct store_request *tx_next;		/* first not wholly sent */
	os_work work;
	struct store_stats stats;
	struct store_watch *watches;
	os_work watch_work;
	uint32_t next_watch_id;
};

void store_log_locked(struct store *store, const char *what, uint32_t a, uint32_t b);

/* Pieces for the path prefix/node with its NUL: up to 3 entries in p[],
 * *n set. -XEN_EINVAL, -XEN_ENAMETOOLONG. *length: path length without
 * the NUL. */
xen_status store_path_pieces(const char *prefix, const char *node, struct store_piece *p,
			     unsigned *n, uint32_t *length);

/* store_watch.c hooks, called by store.c. */
void store_watch_init(struct store *store);
/* A validated-framing XS_WATCH_EVENT message; takes ownership of body. */
void store_watch_event_locked(struct store *store, char *body, uint32_t len);
void store_watch_suspend_locked(struct store *store);
xen_status store_watch_resume(struct store *store);
/* Free undelivered events of watches (destroy). */
void store_watch_fini(struct store *store);

#endif /* XB_STORE_INTERNAL_H */
