/*
 * Suite "peer": the real-Xen side-by-side benchmark (tools/xen-bench). The
 * same two measurements a Debian Linux PVH guest makes in the same rig run
 * (tests/xen/peer/peer-init.c), here through the portable core:
 *   store_reads:     R rounds of N synchronous reads of the domain's "name"
 *                    node through the core's store client (one warm-up
 *                    read first); the fastest round counts (the rig shares
 *                    a loaded host: the best round is the least disturbed);
 *   balloon_inflate: the core's balloon gives M pages to Xen (one
 *                    balloon_adjust to M pages), then deflates untimed.
 * R, N and M come from the command line (peer_rounds=, peer_reads=,
 * peer_pages=). Results are printed as "PEER ours store_reads <N> <ns>"
 * (the best round) and "PEER ours balloon_inflate <M> <ns>" (total ns of
 * the timed part), with a "PEER note" line of every round. Each timed part
 * is also framed by "PEER mark ours <what> begin|end <round>" lines and
 * reported as "PEER round ours <what> <round> <ns>": Xen stamps the marks
 * with its own time, and tools/xen-bench checks our clock against it (a
 * "cal" pair with nothing between tells what writing a mark costs).
 */
#include "balloon.h"
#include "xt_env.h"

#define PEER_READS_DEFAULT 50
#define PEER_ROUNDS_DEFAULT 4
#define PEER_PAGES_DEFAULT 4096

/* A decimal "key=value" of the command line, or def when absent/malformed. */
static uint64_t peer_param(const char *key, uint64_t def)
{
	char buf[24];
	uint64_t v;

	if (!guest_cmdline_get(key, buf, sizeof(buf)))
		return def;
	if (balloon_parse_decimal(buf, __builtin_strlen(buf), &v) || v == 0)
		return def;
	return v;
}

/* One timed round of n reads of "name", each checked against want. */
static xen_status peer_read_round(struct store *s, uint64_t n, const char *want, uint64_t *ns)
{
	uint64_t i, t0 = os_time_ns();
	size_t wlen = __builtin_strlen(want);

	for (i = 0; i < n; i++) {
		char *v = NULL;
		uint32_t len;
		xen_status rc = store_read(s, NULL, NULL, "name", &v, &len);
		bool same = !rc && len == wlen && __builtin_memcmp(v, want, len) == 0;

		store_free(v);
		if (rc)
			return rc;
		if (!same)
			return -XEN_EIO;
	}
	*ns = os_time_ns() - t0;
	return XEN_OK;
}

XT_SCENARIO(peer, store_reads)
{
	struct store *s = xt_store();
	uint64_t n = peer_param("peer_reads", PEER_READS_DEFAULT);
	uint64_t rounds = peer_param("peer_rounds", PEER_ROUNDS_DEFAULT), r, ns, best = UINT64_MAX;
	char want[64], all[160];
	size_t used = 0;
	char *v = NULL;
	uint32_t len;

	XT_CHECK(s != NULL);
	XT_CHECK(guest_cmdline_get("name", want, sizeof(want)) != NULL);
	XT_CHECK_OK(store_read(s, NULL, NULL, "name", &v, &len));
	store_free(v);
	all[0] = '\0';
	/* Nothing between: Xen's interval is what one mark line costs. */
	guest_printf("PEER mark ours cal begin 0\n");
	guest_printf("PEER mark ours cal end 0\n");
	for (r = 0; r < rounds; r++) {
		guest_printf("PEER mark ours store_reads begin %lu\n", (unsigned long)r);
		XT_CHECK_OK(peer_read_round(s, n, want, &ns));
		guest_printf("PEER mark ours store_reads end %lu\n", (unsigned long)r);
		guest_printf("PEER round ours store_reads %lu %lu\n", (unsigned long)r,
			     (unsigned long)ns);
		best = ns < best ? ns : best;
		if (used < sizeof(all))
			used += guest_snprintf(all + used, sizeof(all) - used, " %lu",
					       (unsigned long)(ns / 1000000));
	}
	guest_printf("PEER ours store_reads %lu %lu\n", (unsigned long)n, (unsigned long)best);
	guest_printf("PEER note ours store_reads rounds of %lu, ms:%s\n", (unsigned long)n, all);
}

/* ---- balloon wiring: the store client and the test kernel's page heap ---- */

static xen_status peer_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	char *v = NULL;
	uint32_t l;
	xen_status rc = store_read(ctx, NULL, NULL, node, &v, &l);

	if (rc)
		return rc;
	*len = l;
	if (size) {
		size_t c = l < size - 1 ? l : size - 1;

		__builtin_memcpy(buf, v, c);
		buf[c] = '\0';
	}
	store_free(v);
	return XEN_OK;
}

static xen_status peer_write(void *ctx, const char *node, const char *value)
{
	return store_write_str(ctx, NULL, NULL, node, value);
}

XT_SCENARIO(peer, balloon_inflate)
{
	struct store *s = xt_store();
	uint64_t m = peer_param("peer_pages", PEER_PAGES_DEFAULT), t0, t1;
	struct balloon_ops ops = {
		.read = peer_read,
		.write = peer_write,
		.pages_alloc = xt_pages_alloc,
		.pages_free = xt_pages_free,
	};
	struct balloon_config cfg;
	struct balloon *b = NULL;
	uint64_t cur0, cur1, max;
	xen_status rc;

	XT_CHECK(s != NULL);
	ops.ctx = s;
	balloon_config_defaults(&cfg);
	cfg.budget_ns = 0;	/* one uninterrupted adjustment, as timed */
	XT_CHECK_OK(balloon_create(NULL, &ops, &cfg, &b));
	XT_CHECK_OK(balloon_reservation(&cur0, &max));
	guest_printf("PEER mark ours balloon_inflate begin 0\n");
	t0 = os_time_ns();
	rc = balloon_adjust(b, m);
	t1 = os_time_ns();
	guest_printf("PEER mark ours balloon_inflate end 0\n");
	guest_printf("PEER round ours balloon_inflate 0 %lu\n", (unsigned long)(t1 - t0));
	if (rc) {
		xt_fail(__FILE__, __LINE__, "balloon_adjust(%lu) = %d (size %lu)", (unsigned long)m,
			(int)rc, (unsigned long)balloon_size(b));
		goto out;
	}
	if (balloon_size(b) != m || balloon_reservation(&cur1, &max) || cur0 - cur1 != m) {
		xt_fail(__FILE__, __LINE__, "size %lu, reservation %lu -> %lu, want -%lu",
			(unsigned long)balloon_size(b), (unsigned long)cur0, (unsigned long)cur1,
			(unsigned long)m);
		goto out;
	}
	guest_printf("PEER ours balloon_inflate %lu %lu\n", (unsigned long)m, (unsigned long)(t1 - t0));
out:
	rc = balloon_adjust(b, 0);
	if (rc)
		xt_fail(__FILE__, __LINE__, "deflate = %d", (int)rc);
	else
		XT_CHECK_OK(balloon_destroy(b));
}
