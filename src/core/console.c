#include "console.h"
#include "hypercall.h"

#define CONS_IN_SIZE ((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->in))
#define CONS_OUT_SIZE ((XENCONS_RING_IDX)sizeof(((struct xencons_interface *)0)->out))

struct console_wakeup {
	struct console_wakeup *next;
	os_event *event;
};

void console_init(struct console *c)
{
	__builtin_memset(c, 0, sizeof(*c));
	os_spin_init(&c->lock);
	c->error = -XEN_ENOTCONN;
}

static void console_set_wakeups(struct console *c)
{
	struct console_wakeup *w;

	for (w = c->wakeups; w; w = w->next)
		os_event_set(w->event);
}

xen_status console_enable(struct console *c, struct xencons_interface *ring,
			  void (*notify)(void *ctx), void *ctx)
{
	XENCONS_RING_IDX out_prod, out_cons, in_prod, in_cons;
	xen_status st = XEN_OK;
	os_lock_state s;

	if (!c || !ring || !notify)
		return -XEN_EINVAL;
	/* Whatever an earlier owner (firmware, a previous driver load) left in
	 * the page is our starting point, if it makes sense. */
	out_prod = READ_ONCE(ring->out_prod);
	out_cons = READ_ONCE(ring->out_cons);
	in_prod = READ_ONCE(ring->in_prod);
	in_cons = READ_ONCE(ring->in_cons);
	if (out_prod - out_cons > CONS_OUT_SIZE || in_prod - in_cons > CONS_IN_SIZE)
		st = -XEN_EIO;
	s = os_spin_lock(&c->lock);
	if (st == XEN_OK) {
		c->ring = ring;
		c->notify = notify;
		c->notify_ctx = ctx;
		c->out_prod = out_prod;
		c->in_cons = in_cons;
		c->error = XEN_OK;
		console_set_wakeups(c);
	}
	os_spin_unlock(&c->lock, s);
	return st;
}

void console_disable(struct console *c)
{
	os_lock_state s = os_spin_lock(&c->lock);

	c->ring = NULL;
	c->error = -XEN_ENOTCONN;
	os_spin_unlock(&c->lock, s);
}

/* Lock held. Bytes the backend has not consumed yet, or -1 if its index is
 * impossible (then the console is marked broken). */
static long console_out_used(struct console *c)
{
	XENCONS_RING_IDX used = c->out_prod - READ_ONCE(c->ring->out_cons);

	if (used > CONS_OUT_SIZE) {
		c->error = -XEN_EIO;
		return -1;
	}
	return (long)used;
}

/* Lock held. Input bytes available, or -1 as above. */
static long console_in_avail(struct console *c)
{
	XENCONS_RING_IDX avail = READ_ONCE(c->ring->in_prod) - c->in_cons;

	if (avail > CONS_IN_SIZE) {
		c->error = -XEN_EIO;
		return -1;
	}
	return (long)avail;
}

static size_t console_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Copy n bytes into (from != NULL) or out of (to != NULL) a ring of `size`
 * bytes (a power of two) from free-running index idx on, wrapping at its
 * end. The caller has checked that n bytes are free / available. */
static void console_copy(char *ring, XENCONS_RING_IDX size, XENCONS_RING_IDX idx,
			 char *to, const char *from, size_t n)
{
	size_t off, chunk;

	for (off = 0; off < n; off += chunk) {
		XENCONS_RING_IDX at = (idx + (XENCONS_RING_IDX)off) & (size - 1);

		chunk = console_min(n - off, size - at);
		if (from)
			__builtin_memcpy(ring + at, from + off, chunk);
		else
			__builtin_memcpy(to + off, ring + at, chunk);
	}
}

xen_status console_write(struct console *c, const void *data, size_t len, size_t *done)
{
	size_t n = 0;
	xen_status st;
	os_lock_state s;
	long used;

	*done = 0;
	s = os_spin_lock(&c->lock);
	st = c->error;
	if (st != XEN_OK)
		goto out;
	used = console_out_used(c);
	if (used < 0) {
		st = c->error;
		goto out;
	}
	/* The backend's read of the slots we reuse precedes its index update. */
	mb();
	n = console_min(len, CONS_OUT_SIZE - (size_t)used);
	console_copy(c->ring->out, CONS_OUT_SIZE, c->out_prod, NULL, data, n);
	if (n > 0) {
		wmb();	/* data before the index that publishes it */
		c->out_prod += (XENCONS_RING_IDX)n;
		WRITE_ONCE(c->ring->out_prod, c->out_prod);
		c->bytes_out += n;
		c->notifies++;
	}
out:
	os_spin_unlock(&c->lock, s);
	if (n > 0)
		c->notify(c->notify_ctx);
	*done = n;
	return st;
}

xen_status console_read(struct console *c, void *buf, size_t len, size_t *done)
{
	size_t n = 0;
	xen_status st;
	os_lock_state s;
	long avail;

	*done = 0;
	s = os_spin_lock(&c->lock);
	st = c->error;
	if (st != XEN_OK)
		goto out;
	avail = console_in_avail(c);
	if (avail < 0) {
		st = c->error;
		goto out;
	}
	rmb();	/* the index before the data it publishes */
	n = console_min(len, (size_t)avail);
	console_copy(c->ring->in, CONS_IN_SIZE, c->in_cons, buf, NULL, n);
	if (n > 0) {
		mb();	/* finish reading before the backend may overwrite */
		c->in_cons += (XENCONS_RING_IDX)n;
		WRITE_ONCE(c->ring->in_cons, c->in_cons);
		c->bytes_in += n;
		c->notifies++;
	}
out:
	os_spin_unlock(&c->lock, s);
	if (n > 0)
		c->notify(c->notify_ctx);
	*done = n;
	return st;
}

bool console_can_read(struct console *c)
{
	os_lock_state s = os_spin_lock(&c->lock);
	bool ok = c->error == XEN_OK && console_in_avail(c) > 0;

	os_spin_unlock(&c->lock, s);
	return ok;
}

bool console_can_write(struct console *c)
{
	os_lock_state s = os_spin_lock(&c->lock);
	bool ok = false;
	long used;

	if (c->error == XEN_OK) {
		used = console_out_used(c);
		ok = used >= 0 && used < (long)CONS_OUT_SIZE;
	}
	os_spin_unlock(&c->lock, s);
	return ok;
}

xen_status console_status(struct console *c)
{
	os_lock_state s = os_spin_lock(&c->lock);
	xen_status st = c->error;

	os_spin_unlock(&c->lock, s);
	return st;
}

xen_status console_wakeup_add(struct console *c, os_event *event, struct console_wakeup **out)
{
	struct console_wakeup *w;
	os_lock_state s;

	if (!event || !out)
		return -XEN_EINVAL;
	w = os_alloc(sizeof(*w));
	if (!w)
		return -XEN_ENOMEM;
	w->event = event;
	s = os_spin_lock(&c->lock);
	w->next = c->wakeups;
	c->wakeups = w;
	os_spin_unlock(&c->lock, s);
	*out = w;
	return XEN_OK;
}

void console_wakeup_remove(struct console *c, struct console_wakeup *w)
{
	struct console_wakeup **pp;
	os_lock_state s;

	if (!w)
		return;
	s = os_spin_lock(&c->lock);
	for (pp = &c->wakeups; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	os_spin_unlock(&c->lock, s);
	os_free(w);
}

unsigned console_wakeup_count(struct console *c)
{
	struct console_wakeup *w;
	unsigned n = 0;
	os_lock_state s = os_spin_lock(&c->lock);

	for (w = c->wakeups; w; w = w->next)
		n++;
	os_spin_unlock(&c->lock, s);
	return n;
}

void console_event(struct console *c)
{
	os_lock_state s = os_spin_lock(&c->lock);

	console_set_wakeups(c);
	os_spin_unlock(&c->lock, s);
}

void console_log_write(void *ctx, const char *buf, size_t len)
{
	struct console *c = ctx;
	/* A whole log slot without newlines fits: one ring write, one notify. */
	char stage[256];
	size_t i = 0, n, done;

	while (i < len) {
		/* Stage a chunk with LF expanded to CRLF. */
		for (n = 0; i < len && n + 2 <= sizeof(stage); i++) {
			if (buf[i] == '\n')
				stage[n++] = '\r';
			stage[n++] = buf[i];
		}
		if (console_write(c, stage, n, &done) != XEN_OK || done < n) {
			os_lock_state s = os_spin_lock(&c->lock);

			c->dropped += (uint64_t)(n - done) + (len - i);
			os_spin_unlock(&c->lock, s);
			return;
		}
	}
}

xen_status console_locate(uint64_t *pfn, evtchn_port_t *port)
{
	uint64_t frame = 0, p = 0;
	xen_status st;

	if (!port)
		return -XEN_EINVAL;
	st = hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &p);
	if (st != XEN_OK)
		return st;
	if (p == 0)
		return -XEN_ENOENT;
	if (p > UINT32_MAX)
		return -XEN_ERANGE;
	if (pfn) {
		st = hvm_get_param(HVM_PARAM_CONSOLE_PFN, &frame);
		if (st != XEN_OK)
			return st;
		if (frame == 0)
			return -XEN_ENOENT;
		*pfn = frame;
	}
	*port = (evtchn_port_t)p;
	return XEN_OK;
}
