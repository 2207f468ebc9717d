/*
 * XenStore client: requests over the shared ring (store_ring.h), replies
 * matched by req_id, the operations children need (STORE interface), and
 * transactions. Watches are in store_watch.h.
 *
 * Contexts. store_event() may be called from the event channel's interrupt
 * handler: it only queues deferred work. store_poll() processes the ring in
 * the caller (DISPATCH or below). Synchronous operations wait, so they need
 * thread context; the asynchronous store_submit() may be called up to
 * DISPATCH. No callback ever runs with the store's lock held.
 *
 * Statuses: XEN_OK; a xenstored error (store_error.h: -XEN_ENOENT,
 * -XEN_EACCES, STORE_EQUOTA, -XEN_EAGAIN, ...); -XEN_ENOTCONN when the
 * connection is in its error state (store_connection_error() says why);
 * -XEN_EBADMSG for a malformed or mismatched reply; -XEN_ETIMEDOUT;
 * -XEN_ENAMETOOLONG for over-long paths; -XEN_E2BIG for payloads over
 * XENSTORE_PAYLOAD_MAX; -XEN_ENOMEM; -XEN_EINVAL for bad arguments.
 */
#ifndef XB_STORE_H
#define XB_STORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "os.h"
#include "status.h"
#include "store_error.h"

struct store;
struct store_tx;
struct store_watch;

struct store_config {
	struct xenstore_domain_interface *intf;	/* the ring page */
	/* Kick the peer (send on the store event channel). Any context. */
	void (*notify)(void *ctx);
	void *notify_ctx;
	/* Rejected input and connection errors go to log_printf (LOG_WARNING)
	 * and, if set, here too (what: short text; a, b: the offending
	 * values). Called from processing context, possibly with the store's
	 * lock held: it must only record. */
	void (*log)(void *ctx, const char *what, uint32_t a, uint32_t b);
	void *log_ctx;
	/* Synchronous operations give up after this long (0: 30 s;
	 * UINT64_MAX: never). */
	uint64_t timeout_ns;
};

/* Counters of what the peer did wrong, for tests and debug dumps. */
struct store_stats {
	unsigned long replies;
	unsigned long unknown_req_id;
	unsigned long wrong_type;
	unsigned long bad_messages;	/* unknown type, malformed payload */
	unsigned long watch_events;
	unsigned long watch_unknown;	/* events for no registered watch */
	unsigned long watch_overflows;	/* events coalesced by the per-watch cap */
};

/* Create a client on cfg->intf (copied). -XEN_ERANGE if the page's indices
 * are already inconsistent. Thread context. */
xen_status store_create(const struct store_config *cfg, struct store **out);
/* Fail whatever is still in flight, cancel deferred work and free the
 * client. Every watch and transaction must have been removed/ended. */
void store_destroy(struct store *store);

/* The event channel fired: queue the ring processing. Any context. */
void store_event(struct store *store);
/* Process the ring now (send queued requests, consume replies, complete
 * asynchronous requests). DISPATCH or below. */
void store_poll(struct store *store);

/* 0 while connected; otherwise why the connection was abandoned:
 * -XEN_ERANGE (bad ring index) or -XEN_EMSGSIZE (oversized message). */
xen_status store_connection_error(struct store *store);
void store_get_stats(struct store *store, struct store_stats *stats);

/* Buffers returned by store_read, store_directory and completions. */
void store_free(char *buf);

/* ---- asynchronous requests ---- */

/* Completion: status and, on success, the reply payload (len bytes plus two
 * NUL bytes), which the callee owns and frees with store_free. Runs from
 * store_poll or deferred work, without the lock. */
typedef void (*store_done_fn)(void *ctx, xen_status status, char *body, uint32_t len);

/* A payload piece; a request's payload is its pieces joined. */
struct store_piece {
	const void *data;
	uint32_t len;
};
#define STORE_PIECES_MAX 4

/* Queue one request: type (XS_*), the transaction (NULL: none), up to
 * STORE_PIECES_MAX pieces, and put what fits on the ring. Returns XEN_OK once
 * queued (done then runs exactly once, later, from store_poll or the
 * deferred work, never inside this call), or a status without calling done.
 * DISPATCH or below. */
xen_status store_submit(struct store *store, uint32_t type, struct store_tx *tx,
			const struct store_piece *pieces, unsigned npieces,
			store_done_fn done, void *ctx);

/* Synchronous form: on success *body and *len receive the reply (body NULL:
 * discarded). Thread context. */
xen_status store_request(struct store *store, uint32_t type, struct store_tx *tx,
			 const struct store_piece *pieces, unsigned npieces,
			 char **body, uint32_t *len);

/* ---- operations (thread context) ----
 * The path is prefix + "/" + node when prefix is non-NULL, else node; paths
 * not starting with '/' are relative to the domain's home. */

/* *value: len bytes, NUL- and double-NUL-terminated; free with store_free. */
xen_status store_read(struct store *store, struct store_tx *tx, const char *prefix,
		      const char *node, char **value, uint32_t *len);
xen_status store_write(struct store *store, struct store_tx *tx, const char *prefix,
		       const char *node, const void *value, uint32_t len);
/* store_write of a NUL-terminated string. */
xen_status store_write_str(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, const char *value);
/* Write a printf-formatted value (the formatter of log.h). The value must fit
 * in STORE_PRINTF_MAX bytes including its NUL, else -XEN_EOVERFLOW and
 * nothing is written. */
#define STORE_PRINTF_MAX 1024
xen_status store_printf(struct store *store, struct store_tx *tx, const char *prefix,
			const char *node, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
xen_status store_vprintf(struct store *store, struct store_tx *tx, const char *prefix,
			 const char *node, const char *fmt, va_list ap);
xen_status store_mkdir(struct store *store, struct store_tx *tx, const char *prefix,
		       const char *node);
xen_status store_remove(struct store *store, struct store_tx *tx, const char *prefix,
			const char *node);
/* *list: the children as NUL-separated names, double-NUL-terminated, len
 * bytes (0 for none); free with store_free. */
xen_status store_directory(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, char **list, uint32_t *len);

#define STORE_PERM_NONE 0u
#define STORE_PERM_READ 1u
#define STORE_PERM_WRITE 2u
#define STORE_PERM_BOTH 3u
struct store_perm {
	domid_t domid;
	uint8_t mask;		/* STORE_PERM_* */
};
#define STORE_PERMS_MAX 64
/* The first entry is the owner (and the default for other domains).
 * -XEN_ENOBUFS if the node has more than max entries. */
xen_status store_get_perms(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, struct store_perm *perms, unsigned max,
			   unsigned *count);
/* -XEN_EINVAL for a mask above STORE_PERM_BOTH or count 0. */
xen_status store_set_perms(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, const struct store_perm *perms, unsigned count);

/* ---- transactions (thread context) ---- */

/* A suspend invalidates every open transaction: requests in it then fail
 * with -XEN_EAGAIN, as does its end. */
xen_status store_transaction_start(struct store *store, struct store_tx **tx);
/* Commit (or abort) and free tx, whatever the result. -XEN_EAGAIN on a
 * conflict: run the whole transaction again. */
xen_status store_transaction_end(struct store *store, struct store_tx *tx, bool commit);
/* Run body inside a transaction and commit, retrying the whole of it while
 * the body or the commit returns -XEN_EAGAIN, at most max_attempts times
 * (then -XEN_EAGAIN). Another status from body aborts and is returned. */
typedef xen_status (*store_tx_fn)(struct store *store, struct store_tx *tx, void *ctx);
xen_status store_transaction_run(struct store *store, store_tx_fn body, void *ctx,
				 unsigned max_attempts);

/* ---- suspend and resume ---- */

/* Early suspend: stop sending; invalidate transactions and the watches'
 * daemon registrations. Requests not yet on the ring wait for the resume.
 * DISPATCH or below. */
void store_suspend(struct store *store);
/* Late resume, thread context: attach to the (possibly new) page and notify
 * function, fail requests that were on the old ring with -XEN_EAGAIN (the
 * synchronous operations retry those outside transactions), send the waiting
 * ones, reset watches if the toolstack allows and re-register every watch
 * (each then fires once, from the daemon's initial event). Returns the first
 * error. */
xen_status store_resume(struct store *store, struct xenstore_domain_interface *intf,
			void (*notify)(void *ctx), void *notify_ctx);

#endif /* XB_STORE_H */
