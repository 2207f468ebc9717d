/* XenStore client against the xenstored model: operations, errors,
 * transactions, watches, async requests, suspend/resume. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host.h"
#include "store_fixture.h"

static void read_expect(struct store *s, const char *prefix, const char *node, const char *want)
{
	char *v = NULL;
	uint32_t len = 0;

	assert_int_equal(store_read(s, NULL, prefix, node, &v, &len), XEN_OK);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(v, want, len);
	assert_int_equal(v[len], '\0');
	assert_int_equal(v[len + 1], '\0');
	store_free(v);
}

static void write_then_read(void **state)
{
	struct store *s = FX(state)->store;
	char *v;

	assert_int_equal(store_write_str(s, NULL, NULL, "data/a", "hello"), XEN_OK);
	read_expect(s, NULL, "data/a", "hello");
	read_expect(s, "data", "a", "hello");
	read_expect(s, NULL, "/local/domain/1/data/a", "hello");
	read_expect(s, "/local/domain/1", "data/a", "hello");
	v = sim_xenstore_read("/local/domain/1/data/a");
	assert_string_equal(v, "hello");
	free(v);
	/* Binary values and empty values pass through unchanged. */
	assert_int_equal(store_write(s, NULL, "data", "bin", "x\0y", 3), XEN_OK);
	{
		char *b;
		uint32_t len;

		assert_int_equal(store_read(s, NULL, "data", "bin", &b, &len), XEN_OK);
		assert_int_equal(len, 3);
		assert_memory_equal(b, "x\0y", 3);
		store_free(b);
	}
	assert_int_equal(store_write(s, NULL, "data", "empty", "", 0), XEN_OK);
	read_expect(s, "data", "empty", "");
}

static void printf_formats_and_limits(void **state)
{
	struct store *s = FX(state)->store;
	static char big[1100];

	assert_int_equal(store_printf(s, NULL, "data", "fmt", "%s-%u-%x", "v", 42u, 255u), XEN_OK);
	read_expect(s, "data", "fmt", "v-42-ff");
	/* 1024 bytes with the NUL is the limit. */
	memset(big, 'b', 1024);
	big[1024] = '\0';
	assert_int_equal(store_printf(s, NULL, NULL, "big", "%s", big), -XEN_EOVERFLOW);
	assert_false(sim_xenstore_exists("/local/domain/1/big"));
	big[1023] = '\0';
	assert_int_equal(store_printf(s, NULL, NULL, "big", "%s", big), XEN_OK);
	assert_int_equal(store_printf(s, NULL, NULL, "big", NULL), -XEN_EINVAL);
}

static void mkdir_remove_directory(void **state)
{
	struct store *s = FX(state)->store;
	char *list;
	uint32_t len;

	assert_int_equal(store_mkdir(s, NULL, NULL, "dir/y"), XEN_OK);
	assert_int_equal(store_mkdir(s, NULL, "dir", "z"), XEN_OK);
	assert_int_equal(store_mkdir(s, NULL, "dir", "z"), XEN_OK);
	assert_int_equal(store_directory(s, NULL, NULL, "dir", &list, &len), XEN_OK);
	assert_int_equal(len, 4);
	assert_true(memcmp(list, "z\0y\0", 4) == 0 || memcmp(list, "y\0z\0", 4) == 0);
	assert_int_equal(list[len], '\0');
	store_free(list);
	assert_int_equal(store_remove(s, NULL, "dir", "y"), XEN_OK);
	assert_int_equal(store_remove(s, NULL, "dir", "y"), -XEN_ENOENT);
	assert_int_equal(store_directory(s, NULL, "dir", "z", &list, &len), XEN_OK);
	assert_int_equal(len, 0);
	store_free(list);
	assert_int_equal(store_remove(s, NULL, NULL, "dir"), XEN_OK);
	assert_int_equal(store_directory(s, NULL, NULL, "dir", &list, &len), -XEN_ENOENT);
	assert_null(list);
	assert_false(sim_xenstore_exists("/local/domain/1/dir/z"));
}

static void daemon_errors_map_to_statuses(void **state)
{
	static const struct {
		const char *name;
		xen_status status;
	} map[] = {
		{ "EINVAL", -XEN_EINVAL }, { "EACCES", -XEN_EACCES }, { "EEXIST", -XEN_EEXIST },
		{ "EISDIR", -XEN_EISDIR }, { "ENOENT", -XEN_ENOENT }, { "ENOMEM", -XEN_ENOMEM },
		{ "ENOSPC", -XEN_ENOSPC }, { "EIO", -XEN_EIO }, { "ENOTEMPTY", -XEN_ENOTEMPTY },
		{ "ENOSYS", -XEN_ENOSYS }, { "EROFS", -XEN_EROFS }, { "EBUSY", -XEN_EBUSY },
		{ "EAGAIN", -XEN_EAGAIN }, { "EISCONN", -XEN_EISCONN }, { "E2BIG", -XEN_E2BIG },
		{ "EPERM", -XEN_EPERM }, { "EQUOTA", STORE_EQUOTA }, { "EBOGUS", -XEN_EBADMSG },
		{ "", -XEN_EBADMSG },
	};
	struct store *s = FX(state)->store;
	char *v;
	uint32_t len;
	size_t i, j;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		sim_xenstore_fail_next(XS_READ, map[i].name);
		assert_int_equal(store_read(s, NULL, NULL, "x", &v, &len), map[i].status);
		assert_null(v);
		/* Every real name gets its own status. */
		for (j = 0; j < i && map[i].status != -XEN_EBADMSG; j++)
			assert_int_not_equal(map[i].status, map[j].status);
	}
	assert_string_equal(status_name(STORE_EQUOTA), "EQUOTA");
	assert_string_equal(store_error_to_wire(-XEN_EACCES), "EACCES");
	assert_null(store_error_to_wire(-XEN_ETIMEDOUT));
	/* And the ones the model produces by itself. */
	assert_int_equal(store_read(s, NULL, NULL, "missing", &v, &len), -XEN_ENOENT);
	assert_int_equal(store_read(s, NULL, NULL, "/tool", &v, &len), -XEN_EACCES);
	assert_int_equal(store_write_str(s, NULL, "/tool", "x", "1"), -XEN_EACCES);
	assert_int_equal(store_read(s, NULL, NULL, "bad//path", &v, &len), -XEN_EINVAL);
}

static void argument_and_size_limits(void **state)
{
	struct store *s = FX(state)->store;
	static char big[5000], path[3100];
	char *v;
	uint32_t len;

	memset(big, 'v', sizeof(big));
	assert_int_equal(store_write(s, NULL, NULL, "big", big, 4096), -XEN_E2BIG);
	assert_int_equal(store_write(s, NULL, NULL, "big", big, 4000), XEN_OK);
	memset(path, 'p', sizeof(path));
	path[2048] = '\0';
	assert_int_equal(store_read(s, NULL, NULL, path, &v, &len), -XEN_ENAMETOOLONG);
	path[2047] = '\0';
	assert_int_equal(store_read(s, NULL, NULL, path, &v, &len), -XEN_ENOENT);
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[3072] = '\0';
	assert_int_equal(store_read(s, NULL, NULL, path, &v, &len), -XEN_ENAMETOOLONG);
	path[3071] = '\0';
	assert_int_equal(store_read(s, NULL, NULL, path, &v, &len), -XEN_ENOENT);
	assert_int_equal(store_read(s, NULL, "/p", "", &v, &len), -XEN_EINVAL);
	assert_int_equal(store_read(s, NULL, NULL, "", &v, &len), -XEN_EINVAL);
	assert_int_equal(store_read(s, NULL, NULL, NULL, &v, &len), -XEN_EINVAL);
	assert_int_equal(store_write(s, NULL, NULL, "x", NULL, 1), -XEN_EINVAL);
}

static void values_cross_the_ring_boundary(void **state)
{
	struct store *s = FX(state)->store;
	static char val[4000];
	char *v;
	uint32_t len;
	unsigned i, round;

	/* Sizes that are not divisors of the ring make every message land on
	 * a different offset and many of them wrap. */
	for (round = 0; round < 20; round++) {
		uint32_t n = 300 + round * 187;

		for (i = 0; i < n; i++)
			val[i] = (char)('a' + (i + round) % 26);
		assert_int_equal(store_write(s, NULL, "wrap", "v", val, n), XEN_OK);
		assert_int_equal(store_read(s, NULL, "wrap", "v", &v, &len), XEN_OK);
		assert_int_equal(len, n);
		assert_memory_equal(v, val, n);
		store_free(v);
	}
}

static void permissions(void **state)
{
	struct store *s = FX(state)->store;
	struct store_perm perms[4], got[STORE_PERMS_MAX];
	unsigned n;
	char *v;
	uint32_t len;

	assert_int_equal(store_write_str(s, NULL, NULL, "p", "1"), XEN_OK);
	assert_int_equal(store_get_perms(s, NULL, NULL, "p", got, STORE_PERMS_MAX, &n), XEN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].domid, 1);
	assert_int_equal(got[0].mask, STORE_PERM_NONE);
	perms[0] = (struct store_perm){ 1, STORE_PERM_NONE };
	perms[1] = (struct store_perm){ 0, STORE_PERM_READ };
	perms[2] = (struct store_perm){ 7, STORE_PERM_BOTH };
	perms[3] = (struct store_perm){ 65535, STORE_PERM_WRITE };
	assert_int_equal(store_set_perms(s, NULL, NULL, "p", perms, 4), XEN_OK);
	assert_int_equal(store_get_perms(s, NULL, NULL, "p", got, STORE_PERMS_MAX, &n), XEN_OK);
	assert_int_equal(n, 4);
	for (n = 0; n < 4; n++) {
		assert_int_equal(got[n].domid, perms[n].domid);
		assert_int_equal(got[n].mask, perms[n].mask);
	}
	assert_int_equal(store_get_perms(s, NULL, NULL, "p", got, 2, &n), -XEN_ENOBUFS);
	/* Bad masks and giving the node away are refused. */
	perms[1].mask = 4;
	assert_int_equal(store_set_perms(s, NULL, NULL, "p", perms, 2), -XEN_EINVAL);
	assert_int_equal(store_set_perms(s, NULL, NULL, "p", perms, 0), -XEN_EINVAL);
	perms[0] = (struct store_perm){ 0, STORE_PERM_NONE };
	assert_int_equal(store_set_perms(s, NULL, NULL, "p", perms, 1), -XEN_EPERM);
	/* Per-domain permissions apply to the guest. */
	assert_int_equal(sim_xenstore_write("/tool/ro", "r"), 0);
	assert_int_equal(sim_xenstore_set_perms("/tool/ro", "n0 r1"), 0);
	assert_int_equal(store_read(s, NULL, NULL, "/tool/ro", &v, &len), XEN_OK);
	store_free(v);
	assert_int_equal(store_write_str(s, NULL, NULL, "/tool/ro", "x"), -XEN_EACCES);
	assert_int_equal(sim_xenstore_set_perms("/tool/ro", "r0 n1"), 0);
	assert_int_equal(store_read(s, NULL, NULL, "/tool/ro", &v, &len), -XEN_EACCES);
	assert_int_equal(sim_xenstore_set_perms("/tool/ro", "n0 b1"), 0);
	assert_int_equal(store_write_str(s, NULL, NULL, "/tool/ro", "x"), XEN_OK);
}

static void quotas_give_equota(void **state)
{
	struct store *s = FX(state)->store;
	/* Home and the toolstack's seven control/ nodes are the guest's
	 * already: two more fit. */
	struct sim_xenstore_quota q = { .nodes = 1 + 7 + 2, .watches = 1, .transactions = 1,
					.value_size = 16 };
	struct store_watch *w1, *w2;
	struct store_tx *t1, *t2;
	struct watch_log log = { 0 };

	sim_xenstore_set_quota(&q);
	assert_int_equal(store_write_str(s, NULL, NULL, "q1", "1"), XEN_OK);
	assert_int_equal(store_write_str(s, NULL, NULL, "q2", "1"), XEN_OK);
	assert_int_equal(store_write_str(s, NULL, NULL, "q3", "1"), STORE_EQUOTA);
	assert_int_equal(store_write_str(s, NULL, NULL, "q1", "0123456789abcdefX"), STORE_EQUOTA);
	assert_int_equal(store_watch_add(s, NULL, "q1", watch_log_fn, &log, NULL, &w1), XEN_OK);
	assert_int_equal(store_watch_add(s, NULL, "q2", watch_log_fn, &log, NULL, &w2), STORE_EQUOTA);
	assert_null(w2);
	assert_int_equal(store_transaction_start(s, &t1), XEN_OK);
	assert_int_equal(store_transaction_start(s, &t2), STORE_EQUOTA);
	assert_null(t2);
	assert_int_equal(store_transaction_end(s, t1, false), XEN_OK);
	assert_int_equal(store_watch_remove(s, w1), XEN_OK);
}

static void transaction_commit_and_abort(void **state)
{
	struct store *s = FX(state)->store;
	struct store_tx *tx;
	char *v;
	uint32_t len;

	assert_int_equal(store_transaction_start(s, &tx), XEN_OK);
	assert_int_equal(store_write_str(s, tx, NULL, "t/a", "in-tx"), XEN_OK);
	assert_int_equal(store_read(s, NULL, NULL, "t/a", &v, &len), -XEN_ENOENT);
	assert_int_equal(store_read(s, tx, NULL, "t/a", &v, &len), XEN_OK);
	store_free(v);
	assert_int_equal(sim_xenstore_transactions(), 1);
	assert_int_equal(store_transaction_end(s, tx, true), XEN_OK);
	read_expect(s, NULL, "t/a", "in-tx");
	assert_int_equal(sim_xenstore_transactions(), 0);

	assert_int_equal(store_transaction_start(s, &tx), XEN_OK);
	assert_int_equal(store_remove(s, tx, NULL, "t/a"), XEN_OK);
	assert_int_equal(store_transaction_end(s, tx, false), XEN_OK);
	read_expect(s, NULL, "t/a", "in-tx");
}

static void transaction_conflict(void **state)
{
	struct store *s = FX(state)->store;
	struct store_tx *tx;
	char *v;
	uint32_t len;

	assert_int_equal(store_write_str(s, NULL, NULL, "c/x", "0"), XEN_OK);
	assert_int_equal(store_transaction_start(s, &tx), XEN_OK);
	assert_int_equal(store_read(s, tx, NULL, "c/x", &v, &len), XEN_OK);
	store_free(v);
	assert_int_equal(sim_xenstore_write("/local/domain/1/c/x", "other"), 0);
	assert_int_equal(store_write_str(s, tx, NULL, "c/y", "1"), XEN_OK);
	assert_int_equal(store_transaction_end(s, tx, true), -XEN_EAGAIN);
	assert_int_equal(store_read(s, NULL, NULL, "c/y", &v, &len), -XEN_ENOENT);
	assert_int_equal(sim_xenstore_transactions(), 0);
}

struct counter_tx {
	unsigned runs;
	unsigned conflicts;	/* conflict the first this-many runs */
	xen_status fail;
};

static xen_status counter_body(struct store *s, struct store_tx *tx, void *ctx)
{
	struct counter_tx *c = ctx;
	char *v, buf[16];
	uint32_t len;
	xen_status st;
	int n;

	c->runs++;
	st = store_read(s, tx, NULL, "counter", &v, &len);
	if (st)
		return st;
	n = atoi(v);
	store_free(v);
	if (c->fail)
		return c->fail;
	if (c->runs <= c->conflicts)
		sim_xenstore_write("/local/domain/1/counter", "100");
	snprintf(buf, sizeof(buf), "%d", n + 1);
	return store_write_str(s, tx, NULL, "counter", buf);
}

static void transaction_retry_helper(void **state)
{
	struct store *s = FX(state)->store;
	struct counter_tx c = { .conflicts = 2 };

	assert_int_equal(store_write_str(s, NULL, NULL, "counter", "5"), XEN_OK);
	assert_int_equal(store_transaction_run(s, counter_body, &c, 5), XEN_OK);
	assert_int_equal(c.runs, 3);
	read_expect(s, NULL, "counter", "101");
	/* Bounded: a transaction that always conflicts gives up. */
	c = (struct counter_tx){ .conflicts = 100 };
	assert_int_equal(store_transaction_run(s, counter_body, &c, 4), -XEN_EAGAIN);
	assert_int_equal(c.runs, 4);
	/* Other failures abort at once. */
	c = (struct counter_tx){ .fail = -XEN_EINVAL };
	assert_int_equal(store_transaction_run(s, counter_body, &c, 4), -XEN_EINVAL);
	assert_int_equal(c.runs, 1);
	assert_int_equal(sim_xenstore_transactions(), 0);
}

static void watches_fire_from_deferred_work(void **state)
{
	struct store *s = FX(state)->store;
	struct watch_log a = { 0 }, b = { 0 };
	struct store_watch *wa, *wb, *wc;
	os_event ev;

	os_event_init(&ev);
	assert_int_equal(store_watch_add(s, NULL, "w", watch_log_fn, &a, NULL, &wa), XEN_OK);
	assert_int_equal(store_watch_add(s, "w", "x", watch_log_fn, &b, NULL, &wb), XEN_OK);
	assert_int_equal(store_watch_add(s, NULL, "/local/domain/1/w", NULL, NULL, &ev, &wc),
			 XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 3);
	store_fixture_settle();
	/* The initial firing of each. */
	assert_int_equal(a.count, 1);
	assert_string_equal(a.last, "w");
	assert_int_equal(b.count, 1);
	assert_string_equal(b.last, "w/x");
	assert_true(ev.set);
	os_event_reset(&ev);

	/* A change under both: each watch fires once, with the changed path,
	 * and callbacks never run with a lock held. */
	assert_int_equal(sim_xenstore_write("/local/domain/1/w/x/deep", "1"), 0);
	sim_poll();
	assert_int_equal(a.count, 1);	/* not before the deferred work runs */
	store_fixture_settle();
	assert_int_equal(a.count, 2);
	assert_string_equal(a.last, "w/x/deep");
	assert_int_equal(b.count, 2);
	assert_true(ev.set);
	assert_int_equal(a.locks_held + b.locks_held, 0);

	/* Only the outer one covers a sibling. */
	assert_int_equal(store_write_str(s, NULL, "w", "y", "1"), XEN_OK);
	store_fixture_settle();
	assert_int_equal(a.count, 3);
	assert_string_equal(a.last, "w/y");
	assert_int_equal(b.count, 2);

	assert_int_equal(store_watch_remove(s, wb), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 2);
	assert_int_equal(store_write_str(s, NULL, "w", "x", "2"), XEN_OK);
	store_fixture_settle();
	assert_int_equal(b.count, 2);
	assert_int_equal(a.count, 4);
	assert_int_equal(store_watch_remove(s, wa), XEN_OK);
	assert_int_equal(store_watch_remove(s, wc), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 0);
	assert_int_equal(store_watch_add(s, NULL, "w", NULL, NULL, NULL, &wa), -XEN_EINVAL);
}

static void many_overlapping_watches(void **state)
{
	struct store *s = FX(state)->store;
	struct watch_log logs[24];
	struct store_watch *w[24];
	char path[128];
	unsigned i;

	memset(logs, 0, sizeof(logs));
	/* 12 nested levels, each watched twice. */
	strcpy(path, "n");
	for (i = 0; i < 24; i++) {
		if (i && i % 2 == 0)
			strcat(path, "/n");
		assert_int_equal(store_watch_add(s, NULL, path, watch_log_fn, &logs[i], NULL, &w[i]),
				 XEN_OK);
	}
	store_fixture_settle();
	assert_int_equal(store_write_str(s, NULL, NULL, path, "leaf"), XEN_OK);
	store_fixture_settle();
	for (i = 0; i < 24; i++) {
		assert_int_equal(logs[i].count, 2);
		assert_string_equal(logs[i].last, path);
	}
	for (i = 0; i < 24; i++)
		assert_int_equal(store_watch_remove(s, w[i]), XEN_OK);
}

/* Removing a watch from a callback of another watch is allowed. */
struct remover {
	struct store *s;
	struct store_watch *victim;
	xen_status status;
	unsigned calls;
};

static void remove_other(void *ctx, const char *path)
{
	struct remover *r = ctx;

	(void)path;
	r->calls++;
	if (r->victim) {
		r->status = store_watch_remove(r->s, r->victim);
		r->victim = NULL;
	}
}

static void callbacks_may_call_the_store(void **state)
{
	struct store *s = FX(state)->store;
	struct watch_log log = { 0 };
	struct remover r = { s, NULL, -1, 0 };
	struct store_watch *w1, *w2;

	assert_int_equal(store_watch_add(s, NULL, "cb", watch_log_fn, &log, NULL, &w2), XEN_OK);
	r.victim = w2;
	assert_int_equal(store_watch_add(s, NULL, "cb", remove_other, &r, NULL, &w1), XEN_OK);
	store_fixture_settle();
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.status, XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 1);
	assert_int_equal(store_watch_remove(s, w1), XEN_OK);
}

struct async_ctx {
	unsigned done;
	unsigned ok;
	char expect[16];
};

static void async_done(void *ctx, xen_status status, char *body, uint32_t len)
{
	struct async_ctx *a = ctx;

	a->done++;
	if (status == XEN_OK && len == strlen(a->expect) && memcmp(body, a->expect, len) == 0)
		a->ok++;
	store_free(body);
}

static void async_requests_in_flight(void **state)
{
	struct store *s = FX(state)->store;
	struct async_ctx ctx[32];
	struct store_piece p;
	char paths[32][16], val[16];
	unsigned i;

	for (i = 0; i < 32; i++) {
		snprintf(paths[i], sizeof(paths[i]), "async/%u", i);
		snprintf(val, sizeof(val), "v%u", i * 7);
		assert_int_equal(store_write_str(s, NULL, NULL, paths[i], val), XEN_OK);
	}
	sim_xenstore_pause(true);
	for (i = 0; i < 32; i++) {
		memset(&ctx[i], 0, sizeof(ctx[i]));
		snprintf(ctx[i].expect, sizeof(ctx[i].expect), "v%u", i * 7);
		p = (struct store_piece){ paths[i], (uint32_t)strlen(paths[i]) + 1 };
		assert_int_equal(store_submit(s, XS_READ, NULL, &p, 1, async_done, &ctx[i]),
				 XEN_OK);
	}
	/* More than a ring's worth is queued: the rest goes as space frees. */
	sim_xenstore_pause(false);
	for (i = 0; i < 100; i++) {
		sim_poll();
		store_fixture_settle();
	}
	for (i = 0; i < 32; i++) {
		assert_int_equal(ctx[i].done, 1);
		assert_int_equal(ctx[i].ok, 1);
	}
	assert_int_equal(store_submit(s, XS_READ, NULL, &p, 1, NULL, NULL), -XEN_EINVAL);
	assert_int_equal(store_submit(s, XS_READ, NULL, &p, 5, async_done, ctx), -XEN_EINVAL);
}

static void timeout_then_late_reply(void **state)
{
	struct store_fixture *fx = store_fixture_new(5000000);
	char *v;
	uint32_t len;

	(void)state;
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "late", "1"), XEN_OK);
	sim_xenstore_pause(true);
	assert_int_equal(store_read(fx->store, NULL, NULL, "late", &v, &len), -XEN_ETIMEDOUT);
	assert_null(v);
	sim_xenstore_pause(false);
	/* The abandoned request's reply is consumed and freed, not matched to
	 * the next request. */
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "late", "2"), XEN_OK);
	read_expect(fx->store, NULL, "late", "2");
	assert_true(store_fixture_free(fx));
}

static void reset_watches_only_when_advertised(void **state)
{
	struct store *s = FX(state)->store;
	struct watch_log log = { 0 };
	struct store_watch *w;

	assert_int_equal(store_reset_watches(s), -XEN_EOPNOTSUPP);
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/platform-feature-xs_reset_watches",
					    "0"), 0);
	assert_int_equal(store_reset_watches(s), -XEN_EOPNOTSUPP);
	assert_int_equal(store_watch_add(s, NULL, "r", watch_log_fn, &log, NULL, &w), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 1);
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/platform-feature-xs_reset_watches",
					    "1"), 0);
	assert_int_equal(store_reset_watches(s), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 0);
	/* The daemon forgot it: removing gets ENOENT, which counts as done. */
	assert_int_equal(store_watch_remove(s, w), XEN_OK);
}

static void resume_reregisters_watches(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store *s = fx->store;
	struct watch_log a = { 0 }, b = { 0 };
	struct store_watch *wa, *wb;
	struct xenstore_domain_interface *page;

	assert_int_equal(store_watch_add(s, NULL, "rs/a", watch_log_fn, &a, NULL, &wa), XEN_OK);
	assert_int_equal(store_watch_add(s, NULL, "rs/b", watch_log_fn, &b, NULL, &wb), XEN_OK);
	store_fixture_settle();
	assert_int_equal(a.count, 1);
	store_suspend(s);
	page = sim_xenstore_move(true);
	assert_int_equal(sim_xenstore_watches(), 0);
	/* Changes during the suspend window reach nobody... */
	assert_int_equal(sim_xenstore_write("/local/domain/1/rs/a", "changed"), 0);
	assert_int_equal(store_resume(s, page, sim_xenstore_kick, NULL), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 2);
	store_fixture_settle();
	/* ...but every watch fires once on re-registration. */
	assert_int_equal(a.count, 2);
	assert_int_equal(b.count, 2);
	read_expect(s, NULL, "rs/a", "changed");
	assert_int_equal(sim_xenstore_write("/local/domain/1/rs/b", "x"), 0);
	sim_poll();
	store_fixture_settle();
	assert_int_equal(b.count, 3);

	/* Same daemon, reset-watches advertised: no duplicates, still once. */
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/platform-feature-xs_reset_watches",
					    "1"), 0);
	store_suspend(s);
	page = sim_xenstore_move(false);
	assert_int_equal(store_resume(s, page, sim_xenstore_kick, NULL), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 2);
	store_fixture_settle();
	assert_int_equal(a.count, 3);
	assert_int_equal(b.count, 4);
	assert_int_equal(store_watch_remove(s, wa), XEN_OK);
	assert_int_equal(store_watch_remove(s, wb), XEN_OK);
}

static void resume_fails_or_retries_in_flight(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store *s = fx->store;
	struct async_ctx sent = { 0 }, queued = { 0 };
	struct store_piece p = { "inflight", 9 };
	struct xenstore_domain_interface *page;

	assert_int_equal(store_write_str(s, NULL, NULL, "inflight", "v"), XEN_OK);
	strcpy(sent.expect, "v");
	strcpy(queued.expect, "v");
	sim_xenstore_pause(true);
	/* On the ring, never answered: lost with the old ring. */
	assert_int_equal(store_submit(s, XS_READ, NULL, &p, 1, async_done, &sent), XEN_OK);
	store_suspend(s);
	/* Queued while suspended: waits, then goes to the new ring. */
	assert_int_equal(store_submit(s, XS_READ, NULL, &p, 1, async_done, &queued), XEN_OK);
	store_poll(s);
	assert_int_equal(queued.done, 0);
	page = sim_xenstore_move(true);
	sim_xenstore_pause(false);
	assert_int_equal(store_resume(s, page, sim_xenstore_kick, NULL), XEN_OK);
	assert_int_equal(sent.done, 1);
	assert_int_equal(sent.ok, 0);
	sim_poll();
	store_fixture_settle();
	assert_int_equal(queued.done, 1);
	assert_int_equal(queued.ok, 1);
}

/* A suspend and resume in the middle of a synchronous read: the poll hook
 * plays the toolstack (it runs while the reader waits), the resume runs
 * from deferred work as it would from the resume thread. */
static struct {
	struct store_fixture *fx;
	struct xenstore_domain_interface *page;
	bool armed;
	os_work work;
	xen_status resumed;
} hook;

static void hook_resume(void *arg)
{
	(void)arg;
	hook.resumed = store_resume(hook.fx->store, hook.page, sim_xenstore_kick, NULL);
}

static void hook_poll(void)
{
	if (!hook.armed)
		return;
	hook.armed = false;
	store_suspend(hook.fx->store);
	hook.page = sim_xenstore_move(true);
	sim_xenstore_pause(false);
	os_work_queue(&hook.work);
}

static void sync_request_survives_resume(void **state)
{
	struct store_fixture *fx = FX(state);
	unsigned long before;

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "sr", "kept"), XEN_OK);
	hook.fx = fx;
	hook.resumed = -1;
	os_work_init(&hook.work, hook_resume, NULL);
	sim_register_poll(hook_poll);
	before = sim_xenstore_requests();
	sim_xenstore_pause(true);
	hook.armed = true;
	/* The first attempt is lost with the old ring; the read is repeated
	 * on the new one. */
	read_expect(fx->store, NULL, "sr", "kept");
	assert_int_equal(hook.resumed, XEN_OK);
	assert_false(hook.armed);
	assert_true(sim_xenstore_requests() > before);
}

static void suspend_invalidates_transactions(void **state)
{
	struct store *s = FX(state)->store;
	struct store_tx *tx;
	struct xenstore_domain_interface *page;
	char *v;
	uint32_t len;

	assert_int_equal(store_transaction_start(s, &tx), XEN_OK);
	store_suspend(s);
	page = sim_xenstore_move(true);
	assert_int_equal(store_resume(s, page, sim_xenstore_kick, NULL), XEN_OK);
	assert_int_equal(store_read(s, tx, NULL, "x", &v, &len), -XEN_EAGAIN);
	assert_int_equal(store_transaction_end(s, tx, true), -XEN_EAGAIN);
	assert_int_equal(store_write_str(s, NULL, NULL, "after", "ok"), XEN_OK);
}

static void allocation_failures_are_clean(void **state)
{
	struct store *s = FX(state)->store;
	struct store_watch *w;
	struct watch_log log = { 0 };
	char *v;
	uint32_t len;
	unsigned skip, ok = 0;
	xen_status st;

	assert_int_equal(store_write_str(s, NULL, NULL, "af", "value"), XEN_OK);
	for (skip = 0; skip < 8; skip++) {
		host_alloc_fail(skip, 1);
		st = store_read(s, NULL, NULL, "af", &v, &len);
		host_alloc_fail(0, 0);
		assert_true(st == XEN_OK || st == -XEN_ENOMEM);
		if (st == XEN_OK) {
			assert_string_equal(v, "value");
			store_free(v);
			ok++;
		}
		host_alloc_fail(skip, 1);
		st = store_watch_add(s, NULL, "af", watch_log_fn, &log, NULL, &w);
		host_alloc_fail(0, 0);
		assert_true(st == XEN_OK || st == -XEN_ENOMEM);
		store_fixture_settle();
		if (st == XEN_OK)
			assert_int_equal(store_watch_remove(s, w), XEN_OK);
		assert_int_equal(sim_xenstore_watches(), 0);
	}
	assert_true(ok > 0);
	/* A reply whose buffer cannot be had stays on the ring for later. */
	sim_xenstore_pause(true);
	{
		struct async_ctx a = { 0 };
		struct store_piece p = { "af", 3 };

		strcpy(a.expect, "value");
		assert_int_equal(store_submit(s, XS_READ, NULL, &p, 1, async_done, &a), XEN_OK);
		sim_xenstore_pause(false);
		sim_poll();
		host_alloc_fail(0, 1);
		store_poll(s);
		host_alloc_fail(0, 0);
		assert_int_equal(a.done, 0);
		store_poll(s);
		assert_int_equal(a.ok, 1);
	}
}

static void create_rejects_bad_page(void **state)
{
	struct xenstore_domain_interface *page = calloc(1, sizeof(*page));
	struct store_config cfg = { .intf = page, .notify = sim_xenstore_kick };
	struct store *s;

	(void)state;
	page->req_prod = 5000;
	assert_int_equal(store_create(&cfg, &s), -XEN_ERANGE);
	assert_null(s);
	page->req_prod = 0;
	page->rsp_cons = 10;
	page->rsp_prod = 9;
	assert_int_equal(store_create(&cfg, &s), -XEN_ERANGE);
	cfg.notify = NULL;
	assert_int_equal(store_create(&cfg, &s), -XEN_EINVAL);
	free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(write_then_read, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(printf_formats_and_limits, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(mkdir_remove_directory, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(daemon_errors_map_to_statuses, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(argument_and_size_limits, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(values_cross_the_ring_boundary, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(permissions, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(quotas_give_equota, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(transaction_commit_and_abort, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(transaction_conflict, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(transaction_retry_helper, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(watches_fire_from_deferred_work, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(many_overlapping_watches, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(callbacks_may_call_the_store, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(async_requests_in_flight, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test(timeout_then_late_reply),
		cmocka_unit_test_setup_teardown(reset_watches_only_when_advertised, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(resume_reregisters_watches, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(resume_fails_or_retries_in_flight, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(sync_request_survives_resume, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(suspend_invalidates_transactions, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(allocation_failures_are_clean, store_fixture_setup, store_fixture_teardown),
		cmocka_unit_test(create_rejects_bad_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
