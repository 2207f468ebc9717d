/* The xenstored model's daemon side: the ring, the wire protocol, faults. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_xenstore_int.h"
#include "store_error.h"

#define RING XENSTORE_RING_SIZE
#define MAX_RETIRED 8

static struct {
	bool live;
	bool registered;
	struct xenstore_domain_interface *page;
	struct xenstore_domain_interface *retired[MAX_RETIRED];
	unsigned nretired;
	XENSTORE_RING_IDX req_cons, rsp_prod;
	struct xs_tree tree;
	void (*notify)(void *ctx);
	void *notify_ctx;
	unsigned long kicks, requests;
	bool paused, silent, broken;
	/* The request being read. */
	struct xsd_sockmsg in_hdr;
	uint32_t in_hdr_got, in_body_got;
	char in_body[XENSTORE_PAYLOAD_MAX + 1];
	/* Bytes waiting for room on the response ring. */
	char *out;
	size_t out_len, out_cap;
	/* Watch events raised while a request runs, sent after its reply. */
	char *evq;
	size_t evq_len, evq_cap;
	bool in_request;
	uint32_t fail_type;
	char fail_name[32];
	bool fail_armed;
	enum sim_xenstore_hostile hostile;
	unsigned hostile_arg;
} xs;

static void append(char **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
	if (n == 0)
		return;
	if (*len + n > *cap) {
		*cap = (*len + n) * 2;
		*buf = realloc(*buf, *cap);
	}
	memcpy(*buf + *len, data, n);
	*len += n;
}

static void emit(const void *data, size_t n)
{
	append(&xs.out, &xs.out_len, &xs.out_cap, data, n);
}

static void emit_msg(uint32_t type, uint32_t req_id, uint32_t tx_id, const void *body,
		     uint32_t len)
{
	struct xsd_sockmsg h = { type, req_id, tx_id, len };

	emit(&h, sizeof(h));
	emit(body, len);
}

static void fire(const char *path, const char *token)
{
	struct xsd_sockmsg h = { XS_WATCH_EVENT, 0, 0, 0 };
	size_t pl = strlen(path) + 1, tl = strlen(token) + 1;

	h.len = (uint32_t)(pl + tl);
	if (xs.in_request) {
		append(&xs.evq, &xs.evq_len, &xs.evq_cap, &h, sizeof(h));
		append(&xs.evq, &xs.evq_len, &xs.evq_cap, path, pl);
		append(&xs.evq, &xs.evq_len, &xs.evq_cap, token, tl);
	} else {
		emit(&h, sizeof(h));
		emit(path, pl);
		emit(token, tl);
	}
}

/* ---- hostile replies ---- */

static void flood(unsigned per_watch)
{
	struct xs_watch *w;
	unsigned i;

	char path[XENSTORE_ABS_PATH_MAX + 16];

	for (w = xs.tree.watches; w; w = w->next) {
		snprintf(path, sizeof(path), "%s/flood", w->reported);
		for (i = 0; i < per_watch; i++)
			fire(path, w->token);
	}
}

static void bad_watch_events(void)
{
	static const char no_nul[] = { 'a', 'b', 'c' };
	static const char empty_token[] = "path\0";
	static const char unknown[] = "path\0xbw-ffffffff";
	static const char foreign[] = "path\0not-ours";

	emit_msg(XS_WATCH_EVENT, 0, 0, no_nul, sizeof(no_nul));
	emit_msg(XS_WATCH_EVENT, 0, 0, empty_token, sizeof(empty_token));
	emit_msg(XS_WATCH_EVENT, 0, 0, unknown, sizeof(unknown));
	emit_msg(XS_WATCH_EVENT, 0, 0, foreign, sizeof(foreign));
	emit_msg(XS_WATCH_EVENT, 0, 0, NULL, 0);
}

/* Send a reply, bent as the armed hostile mode says. */
static void reply(const struct xsd_sockmsg *req, uint32_t type, const void *body, uint32_t len)
{
	enum sim_xenstore_hostile mode = xs.hostile;
	struct xsd_sockmsg h = { type, req->req_id, req->tx_id, len };

	xs.hostile = SIM_XS_HONEST;
	switch (mode) {
	case SIM_XS_UNKNOWN_REQ_ID:
		emit_msg(type, req->req_id ^ 0x40000000u, req->tx_id, body, len);
		break;
	case SIM_XS_WRONG_TYPE:
		h.type = type == XS_READ ? XS_DIRECTORY : XS_READ;
		break;
	case SIM_XS_OVERSIZED:
		h.len = XENSTORE_PAYLOAD_MAX + 1 + xs.hostile_arg;
		break;
	case SIM_XS_TRUNCATED:
		h.len = len + 8;
		emit(&h, sizeof(h));
		emit(body, len);
		xs.silent = true;
		return;
	case SIM_XS_TRUNCATED_HDR:
		emit(&h, sizeof(h) / 2);
		xs.silent = true;
		return;
	case SIM_XS_WATCH_FLOOD:
		flood(xs.hostile_arg);
		break;
	case SIM_XS_BAD_WATCH_EVENTS:
		bad_watch_events();
		break;
	case SIM_XS_BAD_ERROR:
		h.type = XS_ERROR;
		body = xs.hostile_arg ? "ENOENT" : "EWHATEVER";
		h.len = len = xs.hostile_arg ? 6 : 10;
		break;
	case SIM_XS_BAD_RSP_PROD:
	case SIM_XS_BAD_REQ_CONS:
		xs.hostile = mode;	/* applied by flush */
		break;
	case SIM_XS_HONEST:
		break;
	}
	emit(&h, sizeof(h));
	emit(body, h.len < len ? h.len : len);
	if (h.len > len) {
		/* Oversized: whatever follows is garbage. */
		static const char junk[64];

		emit(junk, sizeof(junk));
	}
	if (xs.evq_len) {
		emit(xs.evq, xs.evq_len);
		xs.evq_len = 0;
	}
}

static void reply_error(const struct xsd_sockmsg *req, int err)
{
	const char *name = store_error_to_wire(err == XS_EQUOTA ? STORE_EQUOTA : -err);

	if (!name)
		name = "EIO";
	reply(req, XS_ERROR, name, (uint32_t)strlen(name) + 1);
}

static void reply_ok(const struct xsd_sockmsg *req)
{
	reply(req, req->type, "OK", 3);
}

/* ---- requests ---- */

/* The n-th NUL-terminated string of the payload, or NULL. */
static const char *arg(const char *body, uint32_t len, unsigned n, uint32_t *next)
{
	uint32_t i = 0, start;

	for (;;) {
		start = i;
		while (i < len && body[i])
			i++;
		if (i == len)
			return NULL;
		i++;
		if (n-- == 0) {
			if (next)
				*next = i;
			return body + start;
		}
	}
}

static int handle_path_op(const struct xsd_sockmsg *req, struct xs_tx *tx, const char *body)
{
	unsigned domid = xs.tree.domid;
	uint32_t len = req->len, next, vlen;
	const char *p = arg(body, len, 0, &next);
	char *path, *out = NULL;
	int rc;

	if (!p)
		return XEN_EINVAL;
	path = xs_canon(&xs.tree, p);
	if (!path)
		return XEN_EINVAL;
	switch (req->type) {
	case XS_READ:
		rc = xs_read(&xs.tree, domid, tx, path, &out, &vlen);
		break;
	case XS_DIRECTORY:
		rc = xs_directory(&xs.tree, domid, tx, path, &out, &vlen);
		break;
	case XS_GET_PERMS:
		rc = xs_get_perms(&xs.tree, domid, tx, path, &out, &vlen);
		break;
	case XS_WRITE:
		rc = xs_write(&xs.tree, domid, tx, path, body + next, len - next);
		break;
	case XS_MKDIR:
		rc = xs_mkdir(&xs.tree, domid, tx, path);
		break;
	case XS_RM:
		rc = xs_rm(&xs.tree, domid, tx, path);
		break;
	case XS_SET_PERMS:
		rc = xs_set_perms(&xs.tree, domid, tx, path, body + next, len - next);
		break;
	default:
		rc = XEN_EINVAL;
	}
	free(path);
	if (rc == 0) {
		if (out)
			reply(req, req->type, out, vlen);
		else
			reply_ok(req);
	}
	free(out);
	return rc;
}

static int handle(const struct xsd_sockmsg *req, const char *body)
{
	struct xs_tx *tx = NULL;
	const char *a, *b;
	char id[16];
	uint32_t txid;
	int rc;

	if (req->tx_id) {
		tx = xs_tx_find(&xs.tree, req->tx_id);
		if (!tx)
			return XEN_ENOENT;
	}
	switch (req->type) {
	case XS_READ: case XS_DIRECTORY: case XS_GET_PERMS: case XS_WRITE:
	case XS_MKDIR: case XS_RM: case XS_SET_PERMS:
		return handle_path_op(req, tx, body);
	case XS_WATCH:
	case XS_UNWATCH:
		a = arg(body, req->len, 0, NULL);
		b = arg(body, req->len, 1, NULL);
		if (!a || !b)
			return XEN_EINVAL;
		rc = req->type == XS_WATCH ? xs_watch(&xs.tree, a, b) : xs_unwatch(&xs.tree, a, b);
		break;
	case XS_TRANSACTION_START:
		if (tx)
			return XEN_EBUSY;
		rc = xs_tx_start(&xs.tree, &txid);
		if (rc)
			return rc;
		snprintf(id, sizeof(id), "%u", txid);
		reply(req, req->type, id, (uint32_t)strlen(id) + 1);
		return 0;
	case XS_TRANSACTION_END:
		a = arg(body, req->len, 0, NULL);
		if (!tx || !a || (strcmp(a, "T") && strcmp(a, "F")))
			return XEN_EINVAL;
		rc = xs_tx_end(&xs.tree, tx, a[0] == 'T');
		break;
	case XS_RESET_WATCHES:
		xs_reset_watches(&xs.tree);
		xs_reset_transactions(&xs.tree);
		rc = 0;
		break;
	default:
		return XEN_EINVAL;
	}
	if (rc == 0)
		reply_ok(req);
	return rc;
}

static void dispatch(void)
{
	struct xsd_sockmsg req = xs.in_hdr;
	int rc;

	xs.requests++;
	xs.in_body[req.len] = '\0';
	if (xs.fail_armed && (xs.fail_type == XS_INVALID || xs.fail_type == req.type)) {
		xs.fail_armed = false;
		reply(&req, XS_ERROR, xs.fail_name, (uint32_t)strlen(xs.fail_name) + 1);
		return;
	}
	xs.in_request = true;
	rc = handle(&req, xs.in_body);
	xs.in_request = false;
	if (rc)
		reply_error(&req, rc);
	if (xs.evq_len) {
		emit(xs.evq, xs.evq_len);
		xs.evq_len = 0;
	}
}

/* ---- the ring ---- */

static bool read_requests(void)
{
	struct xenstore_domain_interface *p = xs.page;
	XENSTORE_RING_IDX prod = __atomic_load_n(&p->req_prod, __ATOMIC_ACQUIRE);
	bool moved = false;
	uint32_t want;
	char *dst;

	if (prod - xs.req_cons > RING) {
		xs.broken = true;
		return false;
	}
	while (prod != xs.req_cons) {
		if (xs.in_hdr_got < sizeof(xs.in_hdr)) {
			dst = (char *)&xs.in_hdr + xs.in_hdr_got;
			want = (uint32_t)sizeof(xs.in_hdr) - xs.in_hdr_got;
		} else {
			dst = xs.in_body + xs.in_body_got;
			want = xs.in_hdr.len - xs.in_body_got;
		}
		if (want) {
			*dst = p->req[MASK_XENSTORE_IDX(xs.req_cons)];
			xs.req_cons++;
			moved = true;
			if (xs.in_hdr_got < sizeof(xs.in_hdr)) {
				xs.in_hdr_got++;
				if (xs.in_hdr_got == sizeof(xs.in_hdr) &&
				    xs.in_hdr.len > XENSTORE_PAYLOAD_MAX) {
					xs.broken = true;	/* a client bug */
					return moved;
				}
			} else {
				xs.in_body_got++;
			}
		}
		if (xs.in_hdr_got == sizeof(xs.in_hdr) && xs.in_body_got == xs.in_hdr.len) {
			dispatch();
			xs.in_hdr_got = xs.in_body_got = 0;
		}
	}
	__atomic_store_n(&p->req_cons, xs.req_cons, __ATOMIC_RELEASE);
	return moved;
}

static bool flush(void)
{
	struct xenstore_domain_interface *p = xs.page;
	XENSTORE_RING_IDX cons = __atomic_load_n(&p->rsp_cons, __ATOMIC_ACQUIRE);
	size_t n = 0;

	if (xs.rsp_prod - cons > RING) {
		xs.broken = true;
		return false;
	}
	while (n < xs.out_len && xs.rsp_prod - cons < RING) {
		p->rsp[MASK_XENSTORE_IDX(xs.rsp_prod)] = xs.out[n++];
		xs.rsp_prod++;
	}
	if (n) {
		memmove(xs.out, xs.out + n, xs.out_len - n);
		xs.out_len -= n;
	}
	__atomic_store_n(&p->rsp_prod, xs.rsp_prod, __ATOMIC_RELEASE);
	if (xs.hostile == SIM_XS_BAD_RSP_PROD) {
		xs.hostile = SIM_XS_HONEST;
		p->rsp_prod = cons + 3 * RING;
		xs.broken = true;
		return true;
	}
	if (xs.hostile == SIM_XS_BAD_REQ_CONS) {
		xs.hostile = SIM_XS_HONEST;
		p->req_cons = p->req_prod + 7;
		xs.broken = true;
		return true;
	}
	return n > 0;
}

void sim_xenstore_poll(void)
{
	bool moved;

	if (!xs.live || xs.paused || xs.broken)
		return;
	moved = read_requests();
	if (xs.silent)
		xs.out_len = 0;
	moved |= flush();
	if (moved && xs.notify)
		xs.notify(xs.notify_ctx);
}

/* ---- set-up and test controls ---- */

static struct xenstore_domain_interface *new_page(void)
{
	struct xenstore_domain_interface *p = aligned_alloc(4096, 4096);

	memset(p, 0, 4096);
	p->server_features = XENSTORE_SERVER_FEATURE_ERROR;
	return p;
}

static void sim_xenstore_fini(void)
{
	unsigned i;

	if (!xs.live)
		return;
	xs_tree_fini(&xs.tree);
	for (i = 0; i < xs.nretired; i++)
		free(xs.retired[i]);
	free(xs.page);
	free(xs.out);
	free(xs.evq);
	memset(&xs, 0, sizeof(xs));
}

struct xenstore_domain_interface *sim_xenstore_init(void)
{
	sim_xenstore_fini();
	xs.live = true;
	xs.page = new_page();
	xs.tree.fire = fire;
	xs_tree_init(&xs.tree, sim_config()->domid);
	sim_register_fini(sim_xenstore_fini);
	sim_register_poll(sim_xenstore_poll);
	return xs.page;
}

struct xenstore_domain_interface *sim_xenstore_move(bool new_daemon)
{
	/* Keep the last few old pages readable (a guest may touch the old ring
	 * until it reattaches); recycle the oldest beyond that. */
	if (xs.nretired == MAX_RETIRED) {
		free(xs.retired[0]);
		memmove(xs.retired, xs.retired + 1, (MAX_RETIRED - 1) * sizeof(xs.retired[0]));
		xs.nretired--;
	}
	xs.retired[xs.nretired++] = xs.page;
	xs.page = new_page();
	xs.req_cons = xs.rsp_prod = 0;
	xs.in_hdr_got = xs.in_body_got = 0;
	xs.out_len = xs.evq_len = 0;
	xs.silent = xs.broken = false;
	xs.hostile = SIM_XS_HONEST;
	if (new_daemon) {
		xs_reset_watches(&xs.tree);
		xs_reset_transactions(&xs.tree);
	}
	return xs.page;
}

void sim_xenstore_set_notify(void (*fn)(void *ctx), void *ctx)
{
	xs.notify = fn;
	xs.notify_ctx = ctx;
}

void sim_xenstore_kick(void *ctx)
{
	(void)ctx;
	xs.kicks++;
}

unsigned long sim_xenstore_kicks(void)
{
	return xs.kicks;
}

unsigned long sim_xenstore_requests(void)
{
	return xs.requests;
}

void sim_xenstore_pause(bool paused)
{
	xs.paused = paused;
}

static int direct(int (*op)(struct xs_tree *, const char *, const char *), const char *path,
		  const char *arg1)
{
	char *abs = xs_canon(&xs.tree, path);
	int rc;

	if (!abs)
		return XEN_EINVAL;
	rc = op(&xs.tree, abs, arg1);
	free(abs);
	return rc;
}

static int op_write(struct xs_tree *t, const char *path, const char *value)
{
	return xs_write(t, 0, NULL, path, value, (uint32_t)strlen(value));
}

static int op_rm(struct xs_tree *t, const char *path, const char *unused)
{
	(void)unused;
	return xs_rm(t, 0, NULL, path);
}

static int op_set_perms(struct xs_tree *t, const char *path, const char *perms)
{
	char *wire = strdup(perms), *s;
	int rc;

	for (s = wire; *s; s++)
		if (*s == ' ')
			*s = '\0';
	rc = xs_set_perms(t, 0, NULL, path, wire, (uint32_t)strlen(perms) + 1);
	free(wire);
	return rc;
}

int sim_xenstore_write(const char *path, const char *value)
{
	return direct(op_write, path, value);
}

int sim_xenstore_rm(const char *path)
{
	return direct(op_rm, path, NULL);
}

int sim_xenstore_set_perms(const char *path, const char *perms)
{
	return direct(op_set_perms, path, perms);
}

char *sim_xenstore_read(const char *path)
{
	char *abs = xs_canon(&xs.tree, path), *value = NULL;
	uint32_t len;

	if (abs && xs_read(&xs.tree, 0, NULL, abs, &value, &len))
		value = NULL;
	free(abs);
	return value;
}

bool sim_xenstore_exists(const char *path)
{
	char *v = sim_xenstore_read(path);

	free(v);
	return v != NULL;
}

void sim_xenstore_set_quota(const struct sim_xenstore_quota *quota)
{
	xs.tree.quota = *quota;
}

unsigned sim_xenstore_watches(void)
{
	return xs_watch_count(&xs.tree);
}

unsigned sim_xenstore_transactions(void)
{
	return xs_tx_count(&xs.tree);
}

void sim_xenstore_fail_next(uint32_t type, const char *name)
{
	xs.fail_type = type;
	snprintf(xs.fail_name, sizeof(xs.fail_name), "%s", name);
	xs.fail_armed = true;
}

void sim_xenstore_inject(const void *data, uint32_t len)
{
	emit(data, len);
	if (flush() && xs.notify)
		xs.notify(xs.notify_ctx);
}

void sim_xenstore_hostile(enum sim_xenstore_hostile mode, unsigned arg)
{
	xs.hostile = mode;
	xs.hostile_arg = arg;
}
