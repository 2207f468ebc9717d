/*
 * 1,000 random suspend/resume cycles (seeded PRNG) of a whole platform
 * with clients at work: the balloon following memory/target, watches the
 * toolstack keeps writing to (also while the domain is suspended), grants in use by a backend, interdomain event
 * channels with events in flight, asynchronous and synchronous xenstore
 * requests and open transactions. Suspends come straight from the test,
 * from inside a waiting store request (queued by a model poll), or from the
 * toolstack writing control/shutdown = suspend. Outcomes: new domain (with
 * the port numbering moved), cancelled, failed.
 *
 * After every cycle: no watch event lost (each watched path's last write
 * was followed by a firing), every channel reopened, active, on a port of
 * the current domain instance and working both ways, the old handles inert,
 * every grant still in the table after a cancel (re-granted by its owner
 * after a new domain: Xen's new table is empty) and mappable, async
 * requests all completed. At the end everything is revoked and closed:
 * the grant free set is back to its initial size, nothing leaked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform_fixture.h"
#include "store_watch.h"

#define CYCLES 1000
#define SEED 0x5eed5u
#define BACKEND 7
#define NCLIENTS 4
#define NWATCHES 6
#define MAX_GRANTS 64

static uint64_t rng;
static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static struct platform plat;

/* ---- event channel clients: reopen from a late callback ---- */

struct client {
	struct evtchn_channel *ch;
	struct suspend_callback *cb;
	unsigned long events;
	unsigned reopened;
	unsigned stale_active;	/* channels found active after a resume */
};
static struct client clients[NCLIENTS];

static bool client_event(void *arg)
{
	((struct client *)arg)->events++;
	return true;
}

static void client_open(struct client *c)
{
	evtchn_port_t rport = sim_evtchn_remote_alloc_unbound(BACKEND);

	assert_true(rport != 0);
	assert_int_equal(evtchn_open_interdomain(BACKEND, rport, false, client_event, c, &c->ch),
			 XEN_OK);
	(void)evtchn_unmask(c->ch, false, false);
}

static void client_late(void *arg)
{
	struct client *c = arg;
	unsigned long sent = sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_send);

	if (evtchn_active(c->ch))
		c->stale_active++;
	/* The old handle is inert: no hypercall reaches Xen through it. */
	assert_int_equal(evtchn_send(c->ch), XEN_OK);
	assert_false(evtchn_unmask(c->ch, false, true));
	assert_int_equal(sim_calls(__HYPERVISOR_event_channel_op, EVTCHNOP_send), sent);
	evtchn_close(c->ch);
	client_open(c);
	c->reopened++;
}

/* ---- watches ---- */

struct watched {
	struct store_watch *w;
	unsigned writes;	/* toolstack writes so far */
	unsigned seen;		/* writes known when the last firing ran */
	unsigned fired;
};
static struct watched watches[NWATCHES];

static void watch_fn(void *ctx, const char *path)
{
	struct watched *wd = ctx;

	(void)path;
	wd->fired++;
	wd->seen = wd->writes;
}

static void toolstack_write(unsigned i)
{
	char path[64], value[16];

	snprintf(path, sizeof(path), "/local/domain/1/data/w%u", i);
	snprintf(value, sizeof(value), "%u", watches[i].writes + 1);
	watches[i].writes++;
	assert_int_equal(sim_xenstore_write(path, value), 0);
}

/* While the domain is down: the events go to a connection that is about
 * to disappear (or, when cancelled, stay queued on the ring). */
static unsigned window_writes;
static void window(void *ctx)
{
	unsigned i;

	(void)ctx;
	for (i = 0; i < NWATCHES; i++) {
		if (rnd(3) == 0) {
			toolstack_write(i);
			window_writes++;
		}
	}
}

/* ---- grants ---- */

struct grant {
	struct gnttab_entry *e;
	uint64_t pfn;
	uint32_t handle;
	bool mapped;
};
static struct grant grants[MAX_GRANTS];
static unsigned ngrants;
static struct gnttab_cache *gcache;

static void grant_permit(void)
{
	struct grant *g = &grants[ngrants];

	g->pfn = 0x1000 + rnd(0x10000);
	assert_int_equal(gnttab_permit_foreign_access(gcache, false, BACKEND, g->pfn, false, &g->e),
			 XEN_OK);
	g->mapped = false;
	ngrants++;
}

static void grant_revoke(unsigned i)
{
	struct grant *g = &grants[i];

	if (g->mapped)
		assert_int_equal(sim_gnttab_unmap(g->handle), GNTST_okay);
	assert_int_equal(gnttab_revoke_foreign_access(gcache, false, g->e), XEN_OK);
	grants[i] = grants[--ngrants];
}

static void grant_map(unsigned i)
{
	struct grant *g = &grants[i];

	if (g->mapped)
		return;
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(g->e), false, &g->handle),
			 GNTST_okay);
	g->mapped = true;
}

/* ---- xenstore traffic ---- */

static unsigned async_outstanding, async_ok, async_lost;

static void async_done(void *ctx, xen_status status, char *body, uint32_t len)
{
	(void)ctx;
	(void)len;
	store_free(body);
	assert_true(status == XEN_OK || status == -XEN_EAGAIN);
	async_outstanding--;
	if (status == XEN_OK)
		async_ok++;
	else
		async_lost++;
}

static void async_write(void)
{
	static const char path[] = "data/async";
	char value[16];
	struct store_piece pieces[2] = { { path, sizeof(path) }, { value, 0 } };

	pieces[1].len = (uint32_t)snprintf(value, sizeof(value), "%u", rnd(1000));
	async_outstanding++;
	assert_int_equal(store_submit(platform_store(&plat), XS_WRITE, NULL, pieces, 2, async_done,
				      NULL), XEN_OK);
}

/* ---- suspends from inside a waiting request ---- */

static bool poll_armed;
static os_work suspend_work;
static xen_status work_status;
static enum suspend_outcome work_outcome;
static unsigned from_poll, from_toolstack;

static void suspend_work_fn(void *arg)
{
	(void)arg;
	work_status = platform_suspend(&plat, &work_outcome);
	from_poll++;
}

static void poll_hook(void)
{
	if (poll_armed && rnd(2) == 0) {
		poll_armed = false;
		os_work_queue(&suspend_work);
	}
}

/* ---- balloon: the toolstack moves memory/target ---- */

#define RAM_PAGES 2048
static uint64_t balloon_expected;
static unsigned target_writes;

static void toolstack_target(void)
{
	unsigned pages = RAM_PAGES / 2 + rnd(RAM_PAGES / 2 + 1);
	char value[16];

	snprintf(value, sizeof(value), "%u", pages * 4);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/target", value), 0);
	balloon_expected = RAM_PAGES - pages;
	target_writes++;
}

static void check_balloon(void)
{
	unsigned tries;

	for (tries = 0; tries < 10 && balloon_size(plat.balloon) != balloon_expected; tries++)
		(void)platform_balloon_retry(&plat);
	assert_int_equal(balloon_size(plat.balloon), balloon_expected);
	assert_int_equal(sim_memory_tot_pages(), RAM_PAGES - balloon_expected);
	assert_true(sim_xenstore_exists("/local/domain/1/control/feature-balloon"));
}

/* ---- the cycle ---- */

static unsigned outcomes[3];

static void random_activity(void)
{
	unsigned n = rnd(6), i;

	while (n--) {
		switch (rnd(8)) {
		case 0:
			(void)sim_evtchn_remote_send(evtchn_port(clients[rnd(NCLIENTS)].ch));
			break;
		case 1:
			(void)evtchn_send(clients[rnd(NCLIENTS)].ch);
			break;
		case 2:
			if (ngrants < MAX_GRANTS)
				grant_permit();
			break;
		case 3:
			if (ngrants)
				grant_revoke(rnd(ngrants));
			break;
		case 4:
			if (ngrants)
				grant_map(rnd(ngrants));
			break;
		case 5:
			toolstack_write(rnd(NWATCHES));
			break;
		case 6:
			async_write();
			break;
		case 7:
			toolstack_target();
			break;
		}
		if (rnd(3) == 0)
			platform_fixture_settle();
	}
	for (i = 0; i < 2; i++)
		sim_poll();
}

static void check_after(unsigned cycle, enum suspend_outcome out, evtchn_port_t first_port)
{
	unsigned i;
	char *got;
	uint32_t len;

	platform_fixture_settle();
	assert_int_equal(async_outstanding, 0);
	for (i = 0; i < NWATCHES; i++) {
		if (watches[i].seen != watches[i].writes)
			fail_msg("cycle %u: watch %u lost an event (%u writes, saw %u)", cycle, i,
				 watches[i].writes, watches[i].seen);
	}
	for (i = 0; i < NCLIENTS; i++) {
		struct client *c = &clients[i];
		evtchn_port_t port = evtchn_port(c->ch);
		unsigned long ev = c->events, got_remote = sim_evtchn_remote_received(port);

		assert_int_equal(c->stale_active, 0);
		assert_true(evtchn_active(c->ch));
		assert_int_equal(sim_evtchn_status(port), EVTCHNSTAT_interdomain);
		if (out == SUSPEND_RESUMED)
			assert_true(port >= first_port);
		assert_true(sim_evtchn_remote_send(port));
		platform_fixture_settle();
		assert_true(c->events > ev);
		assert_int_equal(evtchn_send(c->ch), XEN_OK);
		assert_int_equal(sim_evtchn_remote_received(port), got_remote + 1);
	}
	if (out == SUSPEND_RESUMED)
		assert_true(evtchn_port(plat.store_ch) >= first_port);
	/* Cancelled: every entry is still granted. A new domain has a fresh
	 * table (real Xen: measured) and the backend's mappings went with the
	 * old one: each owner revokes its void entry and grants again, as
	 * frontends do when they reconnect. Either way the backend can map. */
	for (i = 0; i < ngrants; i++) {
		uint64_t pfn;

		assert_int_equal(gnttab_query_reference(gnttab_entry_ref(grants[i].e), &pfn, NULL),
				 XEN_OK);
		if (out == SUSPEND_RESUMED) {
			assert_true(pfn == 0);
			grants[i].mapped = false;
			assert_int_equal(gnttab_revoke_foreign_access(gcache, false, grants[i].e),
					 XEN_OK);
			assert_int_equal(gnttab_permit_foreign_access(gcache, false, BACKEND,
								      grants[i].pfn, false,
								      &grants[i].e), XEN_OK);
		} else {
			assert_true(pfn == grants[i].pfn);
		}
		grant_map(i);
	}
	assert_int_equal(store_read(platform_store(&plat), NULL, NULL, "data/async", &got, &len),
			 XEN_OK);
	store_free(got);
	assert_true(sim_sched_watchdog_armed(1, NULL));
	assert_false(sim_sched_watchdog_armed(2, NULL));
	check_balloon();
}

static void one_cycle(unsigned cycle)
{
	struct sim_suspend_plan plan = { 0 };
	enum suspend_outcome out = SUSPEND_FAILED;
	struct store_tx *tx = NULL;
	xen_status st, tx_st;
	unsigned r = rnd(20), i, how = rnd(4);
	bool via_poll = how == 0;

	plan.mode = r < 14 ? SIM_SUSPEND_NEW_DOMAIN : r < 19 ? SIM_SUSPEND_CANCEL : SIM_SUSPEND_FAIL;
	plan.first_port = (evtchn_port_t)(1 + rnd(300));
	plan.fail_errno = XEN_EPERM;
	sim_suspend_set_plan(&plan);

	random_activity();
	if (rnd(4) == 0) {
		assert_int_equal(store_transaction_start(platform_store(&plat), &tx), XEN_OK);
		assert_int_equal(store_write_str(platform_store(&plat), tx, NULL, "data/tx", "1"),
				 XEN_OK);
	}
	/* Requests on the ring (or queued) when the domain goes down. */
	for (i = rnd(3); i > 0; i--)
		async_write();
	if (via_poll) {
		char value[16];
		char *got = NULL;
		uint32_t len;

		snprintf(value, sizeof(value), "%u", cycle);
		work_status = 1;
		poll_armed = true;
		assert_int_equal(store_write_str(platform_store(&plat), NULL, NULL, "data/sync", value),
				 XEN_OK);
		/* The suspend may also come after the write completed. */
		while (work_status == 1)
			platform_fixture_settle();
		st = work_status;
		out = work_outcome;
		assert_int_equal(store_read(platform_store(&plat), NULL, NULL, "data/sync", &got,
					    &len), XEN_OK);
		assert_string_equal(got, value);
		store_free(got);
	} else if (how == 1) {
		/* xl save: the toolstack asks through control/shutdown. */
		unsigned calls = sim_suspend_calls();
		long rc;

		assert_int_equal(sim_xenstore_write("/local/domain/1/control/shutdown", "suspend"),
				 0);
		while (sim_suspend_calls() == calls)
			platform_fixture_settle();
		rc = platform_suspend_object(&plat)->last_result;
		out = rc == 0 ? SUSPEND_RESUMED : rc == 1 ? SUSPEND_CANCELLED : SUSPEND_FAILED;
		st = rc < 0 ? (xen_status)rc : out == SUSPEND_RESUMED ? plat.resume_status : XEN_OK;
		from_toolstack++;
	} else {
		st = platform_suspend(&plat, &out);
	}
	if (plan.mode == SIM_SUSPEND_FAIL) {
		assert_int_equal(st, -XEN_EPERM);
		assert_int_equal(out, SUSPEND_FAILED);
	} else {
		if (st)
			fail_msg("cycle %u: suspend returned %s", cycle, status_name(st));
		assert_int_equal(out, plan.mode == SIM_SUSPEND_NEW_DOMAIN ? SUSPEND_RESUMED
									 : SUSPEND_CANCELLED);
	}
	outcomes[out]++;
	if (tx) {
		/* A transaction cannot survive a new domain (the daemon forgot
		 * it); otherwise it is still open and commits unless the
		 * toolstack's writes conflicted with it. */
		assert_int_equal(sim_xenstore_transactions(), out == SUSPEND_RESUMED ? 0 : 1);
		tx_st = store_transaction_end(platform_store(&plat), tx, true);
		if (out == SUSPEND_RESUMED)
			assert_int_equal(tx_st, -XEN_EAGAIN);
		else
			assert_true(tx_st == XEN_OK || tx_st == -XEN_EAGAIN);
		assert_int_equal(sim_xenstore_transactions(), 0);
	}
	check_after(cycle, out, plan.first_port);
}

static void reset_state(void)
{
	memset(clients, 0, sizeof(clients));
	memset(watches, 0, sizeof(watches));
	memset(grants, 0, sizeof(grants));
	memset(outcomes, 0, sizeof(outcomes));
	ngrants = window_writes = from_poll = from_toolstack = target_writes = 0;
	balloon_expected = 0;
	async_outstanding = async_ok = async_lost = 0;
	poll_armed = false;
}

static void run_cycles(unsigned cycles, bool two_level)
{
	struct platform_config cfg;
	uint64_t free_before;
	long live_before;
	unsigned i, cycle, total_fired = 0, reopened = 0;

	reset_state();
	platform_fixture_warm_up();
	platform_fixture_model();
	sim_memory_init(RAM_PAGES, 0);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/static-max", "8192"), 0);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/target", "8192"), 0);
	live_before = host_live_allocations();
	rng = SEED;
	sim_register_poll(poll_hook);
	os_work_init(&suspend_work, suspend_work_fn, NULL);
	sim_suspend_set_window(window, NULL);
	platform_fixture_config(&cfg);
	cfg.options.watchdog_s = 30;
	cfg.force_2level = two_level;
	cfg.shutdown_watch = true;
	cfg.balloon_pages_alloc = sim_memory_os_alloc;
	cfg.balloon_pages_free = sim_memory_os_free;
	assert_int_equal(platform_init(&plat, &cfg), XEN_OK);
	assert_int_equal(evtchn_abi(), two_level ? EVTCHN_ABI_2LEVEL : EVTCHN_ABI_FIFO);

	free_before = gnttab_free_refs();
	assert_int_equal(gnttab_cache_create("cycles", 0, 0, NULL, NULL, NULL, &gcache), XEN_OK);
	for (i = 0; i < NCLIENTS; i++) {
		client_open(&clients[i]);
		assert_int_equal(suspend_register(platform_suspend_object(&plat),
						  SUSPEND_CALLBACK_LATE, client_late, &clients[i],
						  &clients[i].cb), XEN_OK);
	}
	for (i = 0; i < NWATCHES; i++) {
		char node[16];

		snprintf(node, sizeof(node), "data/w%u", i);
		assert_int_equal(store_watch_add(platform_store(&plat), NULL, node, watch_fn,
						 &watches[i], NULL, &watches[i].w), XEN_OK);
	}
	assert_int_equal(store_write_str(platform_store(&plat), NULL, NULL, "data/async", "0"),
			 XEN_OK);
	platform_fixture_settle();

	for (cycle = 0; cycle < cycles; cycle++) {
		one_cycle(cycle);
		assert_int_equal(evtchn_abi(), two_level ? EVTCHN_ABI_2LEVEL : EVTCHN_ABI_FIFO);
	}

	assert_int_equal(suspend_count(platform_suspend_object(&plat)),
			 outcomes[SUSPEND_RESUMED]);
	assert_int_equal(plat.resumes, outcomes[SUSPEND_RESUMED]);
	for (i = 0; i < NWATCHES; i++) {
		total_fired += watches[i].fired;
		assert_int_equal(store_watch_remove(platform_store(&plat), watches[i].w), XEN_OK);
	}
	for (i = 0; i < NCLIENTS; i++) {
		reopened += clients[i].reopened;
		suspend_deregister(platform_suspend_object(&plat), clients[i].cb);
		evtchn_close(clients[i].ch);
	}
	while (ngrants)
		grant_revoke(ngrants - 1);
	assert_int_equal(gnttab_cache_destroy(gcache), XEN_OK);
	assert_int_equal(gnttab_free_refs(), free_before);
	assert_int_equal(gnttab_lost_refs(), 0);
	assert_int_equal(sim_gnttab_mappings(), 0);
	platform_fini(&plat);
	assert_int_equal(sim_evtchn_ports_in_use(), 2);
	assert_int_equal(sim_memory_tot_pages(), RAM_PAGES);
	print_message("%s cycles %u: resumed %u cancelled %u failed %u (from a waiting request "
		      "%u, from the toolstack %u); watch firings %u, window writes %u, channel "
		      "reopens %u, async ok %u lost %u, balloon targets %u\n",
		      two_level ? "2-level" : "FIFO", cycles, outcomes[SUSPEND_RESUMED],
		      outcomes[SUSPEND_CANCELLED], outcomes[SUSPEND_FAILED], from_poll,
		      from_toolstack, total_fired, window_writes, reopened, async_ok, async_lost,
		      target_writes);
	assert_int_equal(reopened, NCLIENTS * outcomes[SUSPEND_RESUMED]);
	/* The PRNG spread every kind of cycle. */
	assert_true(outcomes[SUSPEND_RESUMED] > cycles / 2);
	assert_true(outcomes[SUSPEND_CANCELLED] > cycles / 10);
	assert_true(outcomes[SUSPEND_FAILED] > cycles / 50);
	assert_true(from_poll > cycles / 5);
	assert_true(from_toolstack > cycles / 5);
	assert_int_equal(plat.shutdown_suspends, from_toolstack);
	platform_fixture_done();
	assert_int_equal(host_live_allocations(), live_before);
}

static void thousand_cycles_fifo(void **state)
{
	(void)state;
	run_cycles(CYCLES, false);
}

static void cycles_2level(void **state)
{
	(void)state;
	run_cycles(CYCLES / 4, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(thousand_cycles_fifo),
		cmocka_unit_test(cycles_2level),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
