/*
 * Suite "store": the core's xenstore client against the real xenstored
 * (started by the rig with -E 128: at most 128 nodes per domain, so the
 * node quota is reachable). dom0's driver (tests/xen/dom0/run.sh, store_driver) acts
 * on requests written under data/xt-req:
 *   tx     -> writes data/xt-tx/value = dom0 (inside the guest's window)
 *   watch  -> writes data/xt-watch/node = dom0
 * and answers each with data/xt-ack = <request>.
 */
#include "xt_env.h"

static struct store *s;

/* Ask dom0 to act and wait for its acknowledgement. */
static xen_status dom0_do(const char *what)
{
	uint64_t deadline = os_time_ns() + 20000ull * 1000 * 1000;
	os_event never;
	xen_status rc;

	os_event_init(&never);
	rc = store_write_str(s, NULL, NULL, "data/xt-req", what);
	while (!rc) {
		char *v = NULL;
		uint32_t len;
		bool done;

		rc = store_read(s, NULL, NULL, "data/xt-ack", &v, &len);
		done = !rc && __builtin_strcmp(v, what) == 0;
		store_free(v);
		if (rc == -XEN_ENOENT)
			rc = XEN_OK;
		if (done)
			return store_remove(s, NULL, NULL, "data/xt-ack");
		if (os_time_ns() > deadline)
			return -XEN_ETIMEDOUT;
		xt_wait(&never, 20);
	}
	return rc;
}

XT_SCENARIO(store, connect)
{
	char *name = NULL, want[64];
	uint32_t len;

	s = xt_store();
	XT_CHECK(s != NULL);
	XT_CHECK_OK(store_read(s, NULL, NULL, "name", &name, &len));
	XT_CHECK(guest_cmdline_get("name", want, sizeof(want)) != NULL);
	XT_CHECK(__builtin_strcmp(name, want) == 0);
	XT_CHECK_EQ(len, __builtin_strlen(want));
	store_free(name);
}

XT_SCENARIO(store, every_operation)
{
	struct store_perm perms[4];
	char *v = NULL, *list = NULL;
	uint32_t len;
	unsigned count = 0;
	const char *p;
	unsigned children = 0;

	XT_CHECK(s != NULL);
	XT_CHECK_OK(store_mkdir(s, NULL, "data", "xt-ops"));
	XT_CHECK_OK(store_write_str(s, NULL, "data/xt-ops", "a", "alpha"));
	XT_CHECK_OK(store_printf(s, NULL, "data/xt-ops", "b", "%u-%s", 7u, "beta"));
	XT_CHECK_OK(store_write(s, NULL, "data/xt-ops", "bin", "x\0y", 3));
	XT_CHECK_OK(store_read(s, NULL, "data/xt-ops", "b", &v, &len));
	XT_CHECK(__builtin_strcmp(v, "7-beta") == 0);
	store_free(v);
	v = NULL;
	XT_CHECK_OK(store_read(s, NULL, "data/xt-ops", "bin", &v, &len));
	XT_CHECK_EQ(len, 3);
	XT_CHECK(__builtin_memcmp(v, "x\0y", 3) == 0);
	store_free(v);
	v = NULL;
	XT_CHECK_OK(store_directory(s, NULL, "data", "xt-ops", &list, &len));
	for (p = list; p < list + len && *p; p += __builtin_strlen(p) + 1)
		children++;
	store_free(list);
	XT_CHECK_EQ(children, 3);
	XT_CHECK_OK(store_get_perms(s, NULL, "data/xt-ops", "a", perms, 4, &count));
	XT_CHECK(count >= 1);
	/* Give dom0... nothing, everyone else read: then read it back. */
	perms[0].mask = STORE_PERM_NONE;
	perms[1].domid = 0;
	perms[1].mask = STORE_PERM_READ;
	XT_CHECK_OK(store_set_perms(s, NULL, "data/xt-ops", "a", perms, 2));
	XT_CHECK_OK(store_get_perms(s, NULL, "data/xt-ops", "a", perms, 4, &count));
	XT_CHECK_EQ(count, 2);
	XT_CHECK_EQ(perms[1].domid, 0);
	XT_CHECK_EQ(perms[1].mask, STORE_PERM_READ);
	XT_CHECK_OK(store_remove(s, NULL, "data", "xt-ops"));
	XT_CHECK_EQ(store_read(s, NULL, "data/xt-ops", "a", &v, &len), -XEN_ENOENT);
	XT_CHECK_EQ(store_read(s, NULL, NULL, "no/such/node", &v, &len), -XEN_ENOENT);
}

XT_SCENARIO(store, permissions_refused)
{
	char *v = NULL;
	uint32_t len;

	XT_CHECK(s != NULL);
	/* dom0's nodes and the root belong to dom0: the daemon says no. */
	XT_CHECK_EQ(store_write_str(s, NULL, NULL, "/xt-forbidden", "x"), -XEN_EACCES);
	XT_CHECK_EQ(store_write_str(s, NULL, NULL, "/local/domain/0/xt", "x"), -XEN_EACCES);
	XT_CHECK_EQ(store_read(s, NULL, NULL, "/local/domain/0/name", &v, &len), -XEN_EACCES);
}

XT_SCENARIO(store, transaction_conflict)
{
	struct store_tx *tx = NULL;
	char *v = NULL;
	uint32_t len;
	xen_status rc;

	XT_CHECK(s != NULL);
	XT_CHECK_OK(store_write_str(s, NULL, NULL, "data/xt-tx/value", "start"));
	XT_CHECK_OK(store_transaction_start(s, &tx));
	XT_CHECK_OK(store_read(s, tx, NULL, "data/xt-tx/value", &v, &len));
	store_free(v);
	v = NULL;
	/* dom0 writes the node inside our window. */
	rc = dom0_do("tx");
	if (rc) {
		store_transaction_end(s, tx, false);
		XT_CHECK_OK(rc);
	}
	XT_CHECK_OK(store_write_str(s, tx, NULL, "data/xt-tx/value", "guest"));
	XT_CHECK_EQ(store_transaction_end(s, tx, true), -XEN_EAGAIN);
	/* Our write did not happen; dom0's did. */
	XT_CHECK_OK(store_read(s, NULL, NULL, "data/xt-tx/value", &v, &len));
	XT_CHECK(__builtin_strcmp(v, "dom0") == 0);
	store_free(v);
	v = NULL;
	/* Without interference the same transaction commits. */
	XT_CHECK_OK(store_transaction_start(s, &tx));
	XT_CHECK_OK(store_write_str(s, tx, NULL, "data/xt-tx/value", "guest"));
	XT_CHECK_OK(store_transaction_end(s, tx, true));
	XT_CHECK_OK(store_read(s, NULL, NULL, "data/xt-tx/value", &v, &len));
	XT_CHECK(__builtin_strcmp(v, "guest") == 0);
	store_free(v);
}

XT_SCENARIO(store, watch_fired_by_dom0)
{
	struct store_watch *w = NULL;
	os_event ev;

	XT_CHECK(s != NULL);
	os_event_init(&ev);
	XT_CHECK_OK(store_watch_add(s, NULL, "data/xt-watch", NULL, NULL, &ev, &w));
	/* The daemon fires every new watch once. */
	XT_CHECK(xt_wait(&ev, 5000));
	os_event_reset(&ev);
	XT_CHECK_OK(dom0_do("watch"));
	XT_CHECK(xt_wait(&ev, 10000));
	XT_CHECK_OK(store_watch_remove(s, w));
}

XT_SCENARIO(store, quota_reached)
{
	unsigned i;
	xen_status rc = XEN_OK;

	XT_CHECK(s != NULL);
	/* The rig's xenstored allows 128 nodes per domain. */
	for (i = 0; i < 200 && rc == XEN_OK; i++) {
		char node[32];

		guest_snprintf(node, sizeof(node), "data/xt-quota/n%u", i);
		rc = store_write_str(s, NULL, NULL, node, "x");
	}
	xt_note("node %u refused with %d", i, rc);
	/* C xenstored 4.17 answers a domain's node quota with ENOSPC (its
	 * EQUOTA is not used for this limit). */
	XT_CHECK_EQ(rc, -XEN_ENOSPC);
	XT_CHECK(i > 10);
	XT_CHECK_OK(store_remove(s, NULL, "data", "xt-quota"));
	/* Room again once removed. */
	XT_CHECK_OK(store_write_str(s, NULL, NULL, "data/xt-quota/again", "x"));
	XT_CHECK_OK(store_remove(s, NULL, "data", "xt-quota"));
}
