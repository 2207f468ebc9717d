#include "log.h"
#include "store_internal.h"

#define STORE_DEFAULT_TIMEOUT_NS 30000000000ull
#define STORE_WAIT_SLICE_NS 1000000ull
/* Messages handled per pass, so a flooding peer cannot pin the caller. */
#define STORE_POLL_BUDGET 64
#define STORE_RESUME_RETRIES 3
#define HDR_SIZE ((uint32_t)sizeof(struct xsd_sockmsg))

struct store_tx {
	uint32_t id;
	uint32_t generation;
};

static void store_work(void *arg)
{
	store_poll(arg);
}

void store_log_locked(struct store *store, const char *what, uint32_t a, uint32_t b)
{
	log_printf(LOG_WARNING, "store: %s (%u, %u)\n", what, (unsigned)a, (unsigned)b);
	if (store->log)
		store->log(store->log_ctx, what, a, b);
}

xen_status store_create(const struct store_config *cfg, struct store **out)
{
	struct store *store;
	xen_status status;

	*out = NULL;
	if (!cfg || !cfg->intf || !cfg->notify)
		return -XEN_EINVAL;
	store = os_alloc(sizeof(*store));
	if (!store)
		return -XEN_ENOMEM;
	os_spin_init(&store->lock);
	store->notify = cfg->notify;
	store->notify_ctx = cfg->notify_ctx;
	store->log = cfg->log;
	store->log_ctx = cfg->log_ctx;
	store->timeout_ns = cfg->timeout_ns ? cfg->timeout_ns : STORE_DEFAULT_TIMEOUT_NS;
	store->next_req_id = 1;
	store->next_watch_id = 1;
	os_work_init(&store->work, store_work, store);
	store_watch_init(store);
	status = store_ring_connect(&store->ring, cfg->intf);
	if (status) {
		os_free(store);
		return status;
	}
	*out = store;
	return XEN_OK;
}

void store_free(char *buf)
{
	os_free(buf);
}

/* ---- the request queue (lock held) ---- */

static uint32_t request_size(const struct store_request *req)
{
	return HDR_SIZE + req->hdr.len;
}

static void unlink_locked(struct store *store, struct store_request *req)
{
	struct store_request **pp, *prev = NULL;

	for (pp = &store->head; *pp; prev = *pp, pp = &(*pp)->next) {
		if (*pp != req)
			continue;
		*pp = req->next;
		if (store->tail == req)
			store->tail = prev;
		if (store->tx_next == req)
			store->tx_next = req->next;
		req->next = NULL;
		return;
	}
	BUG("store request not queued");
}

/* Finish req with status/body. Synchronous waiters are woken here; the rest
 * go on *done for finish_list to run once the lock is dropped. */
static void complete_locked(struct store *store, struct store_request *req,
			    xen_status status, char *body, uint32_t len,
			    struct store_request **done)
{
	unlink_locked(store, req);
	req->status = status;
	req->body = body;
	req->body_len = body ? len : 0;
	if (!req->done && !req->orphan) {
		__atomic_store_n(&req->complete, 1, __ATOMIC_RELEASE);
		os_event_set(&req->event);
		return;
	}
	req->next = *done;
	*done = req;
}

static void finish_list(struct store_request *list)
{
	struct store_request *req;

	while (list) {
		req = list;
		list = req->next;
		if (req->orphan)
			os_free(req->body);
		else
			req->done(req->ctx, req->status, req->body, req->body_len);
		os_free(req);
	}
}

static void fail_all_locked(struct store *store, xen_status status,
			    struct store_request **done)
{
	while (store->head)
		complete_locked(store, store->head, status, NULL, 0, done);
}

static void connection_error_locked(struct store *store, xen_status why,
				    struct store_request **done)
{
	store->conn_error = why;
	store_ring_report(&store->ring, why == -XEN_ERANGE ? XENSTORE_ERROR_RINGIDX
							 : XENSTORE_ERROR_PROTO);
	store_log_locked(store, "connection abandoned", (uint32_t)-why, 0);
	fail_all_locked(store, -XEN_ENOTCONN, done);
}

/* Write as much of the queue as fits. 1: progress, 0: none, <0: ring error. */
static int send_locked(struct store *store)
{
	struct store_request *req;
	uint32_t want;
	int n, moved = 0;

	while ((req = store->tx_next) != NULL) {
		if (req->sent < HDR_SIZE) {
			want = HDR_SIZE - req->sent;
			n = store_ring_write(&store->ring, (char *)&req->hdr + req->sent, want);
		} else {
			want = request_size(req) - req->sent;
			n = store_ring_write(&store->ring, req->payload + (req->sent - HDR_SIZE),
					     want);
		}
		if (n < 0)
			return n;
		if (n > 0)
			moved = 1;
		req->sent += (uint32_t)n;
		if ((uint32_t)n < want)
			break;
		if (req->sent == request_size(req))
			store->tx_next = req->next;
	}
	return moved;
}

static struct store_request *find_sent_locked(struct store *store, uint32_t req_id)
{
	struct store_request *req;

	/* Everything before tx_next is wholly on the ring. */
	for (req = store->head; req && req != store->tx_next; req = req->next)
		if (req->hdr.req_id == req_id)
			return req;
	return NULL;
}

static void dispatch_locked(struct store *store, const struct xsd_sockmsg *hdr, char *body,
			    struct store_request **done)
{
	struct store_request *req;
	xen_status status = XEN_OK;

	if (hdr->type == XS_WATCH_EVENT) {
		store->stats.watch_events++;
		store_watch_event_locked(store, body, hdr->len);
		return;
	}
	req = find_sent_locked(store, hdr->req_id);
	if (!req) {
		store->stats.unknown_req_id++;
		store_log_locked(store, "reply with unknown req_id", hdr->req_id, hdr->type);
		os_free(body);
		return;
	}
	store->stats.replies++;
	if (hdr->type == XS_ERROR) {
		status = store_error_from_wire(body, hdr->len);
	} else if (hdr->type != req->hdr.type) {
		store->stats.wrong_type++;
		store_log_locked(store, "reply of the wrong type", hdr->type, req->hdr.type);
		status = -XEN_EBADMSG;
	}
	if (status) {
		os_free(body);
		body = NULL;
	}
	complete_locked(store, req, status, body, hdr->len, done);
}

/* Returns true when STORE_POLL_BUDGET ran out with work maybe left. */
static bool process_locked(struct store *store, struct store_request **done)
{
	struct xsd_sockmsg hdr;
	unsigned handled = 0;
	char *body;
	int sent, got;

	if (store->conn_error || !store->ring.intf)
		return false;
	for (;;) {
		sent = store->suspended ? 0 : send_locked(store);
		if (sent < 0) {
			connection_error_locked(store, sent, done);
			return false;
		}
		got = store_ring_recv(&store->ring, &hdr, &body);
		if (got == -XEN_ENOMEM)
			got = 0;	/* the bytes wait on the ring for the next pass */
		if (got < 0) {
			connection_error_locked(store, got, done);
			return false;
		}
		if (got > 0)
			dispatch_locked(store, &hdr, body, done);
		if (!sent && !got)
			return false;
		if (++handled == STORE_POLL_BUDGET)
			return true;
	}
}

void store_poll(struct store *store)
{
	struct store_request *done = NULL;
	os_lock_state state;
	bool more, kick;

	state = os_spin_lock(&store->lock);
	more = process_locked(store, &done);
	kick = store->ring.moved;
	store->ring.moved = false;
	os_spin_unlock(&store->lock, state);
	if (kick)
		store->notify(store->notify_ctx);
	finish_list(done);
	if (more)
		os_work_queue(&store->work);
}

void store_event(struct store *store)
{
	os_work_queue(&store->work);
}

xen_status store_connection_error(struct store *store)
{
	return __atomic_load_n(&store->conn_error, __ATOMIC_RELAXED);
}

void store_get_stats(struct store *store, struct store_stats *stats)
{
	os_lock_state state = os_spin_lock(&store->lock);

	*stats = store->stats;
	os_spin_unlock(&store->lock, state);
}

/* ---- submitting ---- */

static xen_status build_request(uint32_t type, struct store_tx *tx,
				const struct store_piece *pieces, unsigned npieces,
				struct store_request **out)
{
	struct store_request *req;
	uint32_t len = 0, off = 0;
	unsigned i;

	*out = NULL;
	if (npieces > STORE_PIECES_MAX)
		return -XEN_EINVAL;
	for (i = 0; i < npieces; i++) {
		if (pieces[i].len > XENSTORE_PAYLOAD_MAX)
			return -XEN_E2BIG;
		len += pieces[i].len;
	}
	if (len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	req = os_alloc(sizeof(*req) + len);
	if (!req)
		return -XEN_ENOMEM;
	for (i = 0; i < npieces; i++) {
		__builtin_memcpy(req->payload + off, pieces[i].data, pieces[i].len);
		off += pieces[i].len;
	}
	req->hdr.type = type;
	req->hdr.tx_id = tx ? tx->id : 0;
	req->hdr.len = len;
	os_event_init(&req->event);
	*out = req;
	return XEN_OK;
}

/* Queue req and push what fits onto the ring. */
static xen_status enqueue(struct store *store, struct store_tx *tx, struct store_request *req)
{
	os_lock_state state;
	xen_status status = XEN_OK;
	bool broken, kick;

	state = os_spin_lock(&store->lock);
	if (store->conn_error)
		status = -XEN_ENOTCONN;
	else if (tx && tx->generation != store->generation)
		status = -XEN_EAGAIN;
	if (status) {
		os_spin_unlock(&store->lock, state);
		return status;
	}
	req->hdr.req_id = store->next_req_id++;
	if (store->next_req_id == 0)
		store->next_req_id = 1;
	if (store->tail)
		store->tail->next = req;
	else
		store->head = req;
	store->tail = req;
	if (!store->tx_next)
		store->tx_next = req;
	/* Only send here: replies (and so completion callbacks) are handled
	 * by store_poll, never inside the submitter. A ring error is left for
	 * the deferred pass to find again and act on. */
	broken = !store->suspended && send_locked(store) < 0;
	kick = store->ring.moved;
	store->ring.moved = false;
	os_spin_unlock(&store->lock, state);
	if (kick)
		store->notify(store->notify_ctx);
	if (broken)
		os_work_queue(&store->work);
	return XEN_OK;
}

xen_status store_submit(struct store *store, uint32_t type, struct store_tx *tx,
			const struct store_piece *pieces, unsigned npieces,
			store_done_fn done, void *ctx)
{
	struct store_request *req;
	xen_status status;

	if (!done)
		return -XEN_EINVAL;
	status = build_request(type, tx, pieces, npieces, &req);
	if (status)
		return status;
	req->done = done;
	req->ctx = ctx;
	status = enqueue(store, tx, req);
	if (status)
		os_free(req);
	return status;
}

/* Wait for a synchronous request; on timeout leave it to the queue. */
static xen_status wait_request(struct store *store, struct store_request *req, bool *owned)
{
	uint64_t start = os_time_ns();
	os_lock_state state;

	*owned = true;
	for (;;) {
		if (__atomic_load_n(&req->complete, __ATOMIC_ACQUIRE))
			break;
		store_poll(store);
		if (os_event_wait(&req->event, STORE_WAIT_SLICE_NS))
			break;
		if (store->timeout_ns == UINT64_MAX || os_time_ns() - start < store->timeout_ns)
			continue;
		state = os_spin_lock(&store->lock);
		if (req->complete) {
			os_spin_unlock(&store->lock, state);
			break;
		}
		if (req->sent == 0) {
			unlink_locked(store, req);
		} else {
			/* Part of it is on the ring: the stream needs the rest,
			 * and its reply will come; free it then. */
			req->orphan = true;
			*owned = false;
		}
		os_spin_unlock(&store->lock, state);
		return -XEN_ETIMEDOUT;
	}
	/* The completer sets the event under the lock: once we hold it, it is
	 * done with req. */
	state = os_spin_lock(&store->lock);
	os_spin_unlock(&store->lock, state);
	return req->status;
}

xen_status store_request(struct store *store, uint32_t type, struct store_tx *tx,
			 const struct store_piece *pieces, unsigned npieces,
			 char **body, uint32_t *len)
{
	struct store_request *req;
	xen_status status;
	unsigned attempt;
	bool owned, lost;

	if (body)
		*body = NULL;
	if (len)
		*len = 0;
	for (attempt = 0;; attempt++) {
		status = build_request(type, tx, pieces, npieces, &req);
		if (status)
			return status;
		status = enqueue(store, tx, req);
		if (status) {
			os_free(req);
			return status;
		}
		status = wait_request(store, req, &owned);
		if (!owned)
			return status;
		lost = req->lost_to_resume;
		if (status == XEN_OK && body) {
			*body = req->body;
			if (len)
				*len = req->body_len;
		} else {
			os_free(req->body);
		}
		os_free(req);
		/* Outside a transaction every request we send is safe to
		 * repeat on the new connection. */
		if (!(lost && !tx && attempt + 1 < STORE_RESUME_RETRIES))
			return status;
	}
}

/* ---- operations ---- */

xen_status store_path_pieces(const char *prefix, const char *node, struct store_piece *p,
			     unsigned *n, uint32_t *length)
{
	static const char slash[] = "/";
	size_t nlen, plen = 0, total;
	bool absolute;

	if (!node)
		return -XEN_EINVAL;
	nlen = __builtin_strlen(node);
	if (prefix) {
		plen = __builtin_strlen(prefix);
		total = plen + 1 + nlen;
		absolute = prefix[0] == '/';
	} else {
		total = nlen;
		absolute = node[0] == '/';
	}
	if (total == 0)
		return -XEN_EINVAL;
	/* The limit leaves room for the NUL. */
	if (total >= (absolute ? XENSTORE_ABS_PATH_MAX : XENSTORE_REL_PATH_MAX))
		return -XEN_ENAMETOOLONG;
	*n = 0;
	if (prefix) {
		p[(*n)++] = (struct store_piece){ prefix, (uint32_t)plen };
		p[(*n)++] = (struct store_piece){ slash, 1 };
	}
	p[(*n)++] = (struct store_piece){ node, (uint32_t)nlen + 1 };
	*length = (uint32_t)total;
	return XEN_OK;
}

/* A request whose payload is just the path. */
static xen_status path_request(struct store *store, uint32_t type, struct store_tx *tx,
			       const char *prefix, const char *node, char **body,
			       uint32_t *len)
{
	struct store_piece p[STORE_PIECES_MAX];
	uint32_t plen;
	unsigned n;
	xen_status status;

	status = store_path_pieces(prefix, node, p, &n, &plen);
	if (status)
		return status;
	return store_request(store, type, tx, p, n, body, len);
}

xen_status store_read(struct store *store, struct store_tx *tx, const char *prefix,
		      const char *node, char **value, uint32_t *len)
{
	if (!value)
		return -XEN_EINVAL;
	return path_request(store, XS_READ, tx, prefix, node, value, len);
}

xen_status store_write(struct store *store, struct store_tx *tx, const char *prefix,
		       const char *node, const void *value, uint32_t len)
{
	struct store_piece p[STORE_PIECES_MAX];
	uint32_t plen;
	unsigned n;
	xen_status status;

	if (!value && len)
		return -XEN_EINVAL;
	status = store_path_pieces(prefix, node, p, &n, &plen);
	if (status)
		return status;
	p[n++] = (struct store_piece){ value, len };
	return store_request(store, XS_WRITE, tx, p, n, NULL, NULL);
}

xen_status store_write_str(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, const char *value)
{
	if (!value)
		return -XEN_EINVAL;
	return store_write(store, tx, prefix, node, value, (uint32_t)__builtin_strlen(value));
}

xen_status store_vprintf(struct store *store, struct store_tx *tx, const char *prefix,
			 const char *node, const char *fmt, va_list ap)
{
	xen_status status;
	size_t len;
	char *buf;

	if (!fmt)
		return -XEN_EINVAL;
	buf = os_alloc(STORE_PRINTF_MAX);
	if (!buf)
		return -XEN_ENOMEM;
	len = log_format(buf, STORE_PRINTF_MAX, fmt, ap);
	if (len >= STORE_PRINTF_MAX)
		status = -XEN_EOVERFLOW;
	else
		status = store_write(store, tx, prefix, node, buf, (uint32_t)len);
	os_free(buf);
	return status;
}

xen_status store_printf(struct store *store, struct store_tx *tx, const char *prefix,
			const char *node, const char *fmt, ...)
{
	xen_status status;
	va_list ap;

	va_start(ap, fmt);
	status = store_vprintf(store, tx, prefix, node, fmt, ap);
	va_end(ap);
	return status;
}

xen_status store_mkdir(struct store *store, struct store_tx *tx, const char *prefix,
		       const char *node)
{
	return path_request(store, XS_MKDIR, tx, prefix, node, NULL, NULL);
}

xen_status store_remove(struct store *store, struct store_tx *tx, const char *prefix,
			const char *node)
{
	return path_request(store, XS_RM, tx, prefix, node, NULL, NULL);
}

xen_status store_directory(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, char **list, uint32_t *len)
{
	xen_status status;
	uint32_t n;

	if (!list || !len)
		return -XEN_EINVAL;
	status = path_request(store, XS_DIRECTORY, tx, prefix, node, list, &n);
	if (status)
		return status;
	/* A list of NUL-terminated names: the last byte must end one, and no
	 * name may be empty. */
	if (n > 0 && ((*list)[n - 1] != '\0' || (*list)[0] == '\0')) {
		store_free(*list);
		*list = NULL;
		return -XEN_EBADMSG;
	}
	for (uint32_t i = 1; i < n; i++) {
		if ((*list)[i] == '\0' && (*list)[i - 1] == '\0') {
			store_free(*list);
			*list = NULL;
			return -XEN_EBADMSG;
		}
	}
	*len = n;
	return XEN_OK;
}

static const char perm_letters[] = "nrwb";

/* Parse one "<letter><domid>" entry of length len. */
static bool parse_perm(const char *s, uint32_t len, struct store_perm *perm)
{
	uint32_t i, v = 0;
	unsigned m;

	if (len < 2 || len > 6)
		return false;
	for (m = 0; m < 4 && perm_letters[m] != s[0]; m++)
		;
	if (m == 4)
		return false;
	for (i = 1; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > 0xffff)
		return false;
	perm->domid = (domid_t)v;
	perm->mask = (uint8_t)m;
	return true;
}

xen_status store_get_perms(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, struct store_perm *perms, unsigned max,
			   unsigned *count)
{
	xen_status status;
	uint32_t len, start = 0, i;
	unsigned n = 0;
	char *body;

	if (!perms || !count)
		return -XEN_EINVAL;
	*count = 0;
	status = path_request(store, XS_GET_PERMS, tx, prefix, node, &body, &len);
	if (status)
		return status;
	if (len == 0 || body[len - 1] != '\0')
		status = -XEN_EBADMSG;
	for (i = 0; !status && i < len; i++) {
		if (body[i] != '\0')
			continue;
		if (n == max) {
			status = -XEN_ENOBUFS;
		} else if (!parse_perm(body + start, i - start, &perms[n])) {
			status = -XEN_EBADMSG;
		}
		n++;
		start = i + 1;
	}
	store_free(body);
	if (!status)
		*count = n;
	return status;
}

xen_status store_set_perms(struct store *store, struct store_tx *tx, const char *prefix,
			   const char *node, const struct store_perm *perms, unsigned count)
{
	struct store_piece p[STORE_PIECES_MAX];
	char buf[STORE_PERMS_MAX * 7], digits[5];
	uint32_t plen, off = 0;
	unsigned i, n, d;
	xen_status status;
	uint32_t v;

	if (!perms || count == 0 || count > STORE_PERMS_MAX)
		return -XEN_EINVAL;
	status = store_path_pieces(prefix, node, p, &n, &plen);
	if (status)
		return status;
	for (i = 0; i < count; i++) {
		if (perms[i].mask > STORE_PERM_BOTH)
			return -XEN_EINVAL;
		buf[off++] = perm_letters[perms[i].mask];
		v = perms[i].domid;
		d = 0;
		do {
			digits[d++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (d)
			buf[off++] = digits[--d];
		buf[off++] = '\0';
	}
	p[n++] = (struct store_piece){ buf, off };
	return store_request(store, XS_SET_PERMS, tx, p, n, NULL, NULL);
}

/* ---- transactions ---- */

static bool parse_u32(const char *s, uint32_t len, uint32_t *out)
{
	uint64_t v = 0;
	uint32_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > 0xffffffffu)
		return false;
	*out = (uint32_t)v;
	return true;
}

xen_status store_transaction_start(struct store *store, struct store_tx **out)
{
	static const char empty[] = "";
	struct store_piece p = { empty, 1 };
	struct store_tx *tx;
	xen_status status;
	uint32_t len, id, generation;
	char *body;

	if (!out)
		return -XEN_EINVAL;
	*out = NULL;
	generation = __atomic_load_n(&store->generation, __ATOMIC_ACQUIRE);
	status = store_request(store, XS_TRANSACTION_START, NULL, &p, 1, &body, &len);
	if (status)
		return status;
	/* The id, as decimal digits, NUL-terminated (the NUL is optional). */
	if (len > 0 && body[len - 1] == '\0')
		len--;
	if (!parse_u32(body, len, &id) || id == 0) {
		store_free(body);
		return -XEN_EBADMSG;
	}
	store_free(body);
	tx = os_alloc(sizeof(*tx));
	if (!tx) {
		/* The daemon holds it open: end it rather than leak it there. */
		struct store_tx tmp = { id, generation };
		static const char abort_payload[] = "F";
		struct store_piece f = { abort_payload, 2 };

		store_request(store, XS_TRANSACTION_END, &tmp, &f, 1, NULL, NULL);
		return -XEN_ENOMEM;
	}
	tx->id = id;
	tx->generation = generation;
	*out = tx;
	return XEN_OK;
}

xen_status store_transaction_end(struct store *store, struct store_tx *tx, bool commit)
{
	static const char commit_payload[] = "T";
	static const char abort_payload[] = "F";
	struct store_piece p = { commit ? commit_payload : abort_payload, 2 };
	xen_status status;

	if (!tx)
		return -XEN_EINVAL;
	status = store_request(store, XS_TRANSACTION_END, tx, &p, 1, NULL, NULL);
	os_free(tx);
	return status;
}

xen_status store_transaction_run(struct store *store, store_tx_fn body, void *ctx,
				 unsigned max_attempts)
{
	struct store_tx *tx;
	xen_status status = -XEN_EAGAIN;
	unsigned attempt;

	for (attempt = 0; attempt < max_attempts; attempt++) {
		status = store_transaction_start(store, &tx);
		if (status)
			return status;
		status = body(store, tx, ctx);
		if (status) {
			store_transaction_end(store, tx, false);
			if (status == -XEN_EAGAIN)
				continue;
			return status;
		}
		status = store_transaction_end(store, tx, true);
		if (status != -XEN_EAGAIN)
			return status;
	}
	return status;
}

/* ---- suspend, resume, teardown ---- */

void store_suspend(struct store *store)
{
	os_lock_state state = os_spin_lock(&store->lock);

	store->suspended = true;
	__atomic_add_fetch(&store->generation, 1, __ATOMIC_RELEASE);
	store_watch_suspend_locked(store);
	os_spin_unlock(&store->lock, state);
}

xen_status store_resume(struct store *store, struct xenstore_domain_interface *intf,
			void (*notify)(void *ctx), void *notify_ctx)
{
	struct store_request *done = NULL, *req, *next;
	os_lock_state state;
	xen_status status, watch_status;

	if (!intf || !notify)
		return -XEN_EINVAL;
	state = os_spin_lock(&store->lock);
	if (!store->suspended) {
		__atomic_add_fetch(&store->generation, 1, __ATOMIC_RELEASE);
		store_watch_suspend_locked(store);
	}
	status = store_ring_connect(&store->ring, intf);
	store->conn_error = status;
	store->notify = notify;
	store->notify_ctx = notify_ctx;
	/* What reached the old ring (and anything of an old transaction) is
	 * lost; what never left the queue is sent afresh. */
	for (req = store->head; req; req = next) {
		next = req->next;
		if (req->sent || req->hdr.tx_id || status) {
			req->lost_to_resume = true;
			complete_locked(store, req, status ? -XEN_ENOTCONN : -XEN_EAGAIN,
					NULL, 0, &done);
		}
	}
	store->tx_next = store->head;
	store->suspended = false;
	if (status)
		store_log_locked(store, "resume: bad ring indices", (uint32_t)-status, 0);
	os_spin_unlock(&store->lock, state);
	finish_list(done);
	if (status)
		return status;
	store_poll(store);
	watch_status = store_watch_resume(store);
	return watch_status;
}

void store_destroy(struct store *store)
{
	struct store_request *done = NULL;
	os_lock_state state;

	if (!store)
		return;
	os_work_cancel(&store->work);
	os_work_cancel(&store->watch_work);
	state = os_spin_lock(&store->lock);
	fail_all_locked(store, -XEN_ENOTCONN, &done);
	store_ring_disconnect(&store->ring);
	os_spin_unlock(&store->lock, state);
	finish_list(done);
	store_watch_fini(store);
	os_free(store);
}
