/* platform.c: bring-up, unwinding of every failing step, teardown, and the
 * rebuild of each module after a resume or a cancelled suspend. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform_fixture.h"
#include "store_watch.h"

static long live_before;

static int group_setup(void **state)
{
	(void)state;
	platform_fixture_warm_up();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	platform_fixture_model();
	live_before = host_live_allocations();
	return 0;
}

static int teardown(void **state)
{
	long live = host_live_allocations();

	(void)state;
	platform_fixture_done();
	return live == live_before ? 0 : -1;
}

/* Nothing of a failed or finished platform is left in Xen. */
static void assert_xen_clean(void)
{
	unsigned i;

	/* Only the toolstack's store and console ports. */
	assert_int_equal(sim_evtchn_ports_in_use(), 2);
	assert_false(sim_sched_watchdog_armed(1, NULL));
	assert_false(sim_sched_watchdog_armed(2, NULL));
	for (i = 0; i < PLATFORM_FIXTURE_VCPUS; i++)
		assert_int_equal(sim_sched_periodic_ns(i), 0);
}

static void store_roundtrip(struct platform *p, const char *node, const char *value)
{
	char *got = NULL;
	uint32_t len = 0;

	assert_int_equal(store_write_str(platform_store(p), NULL, NULL, node, value), XEN_OK);
	assert_int_equal(store_read(platform_store(p), NULL, NULL, node, &got, &len), XEN_OK);
	assert_string_equal(got, value);
	store_free(got);
}

static void bring_up_and_down(void **state)
{
	struct platform_config cfg;
	struct platform p;
	size_t done = 0;

	(void)state;
	platform_fixture_config(&cfg);
	cfg.options.watchdog_s = 30;
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_FIFO);
	{
		struct platform second;

		assert_int_equal(platform_init(&second, &cfg), -XEN_EEXIST);
		platform_fini(&second);
	}
	store_roundtrip(&p, "data/x", "1");
	assert_non_null(platform_console(&p));
	assert_int_equal(console_write(platform_console(&p), "hi\n", 3, &done), XEN_OK);
	assert_int_equal(done, 3);
	sim_console_drain();
	assert_string_equal(sim_console_output(), "hi\n");
	assert_true(sim_sched_watchdog_armed(1, NULL));
	assert_int_equal(sim_sched_periodic_ns(1), watchdog_period_ns(30));
	/* Store, console and one timer VIRQ per vCPU. */
	assert_int_equal(sim_evtchn_ports_in_use(), 2 + PLATFORM_FIXTURE_VCPUS);
	assert_int_equal(suspend_registered(platform_suspend_object(&p), SUSPEND_CALLBACK_EARLY),
			 1);
	platform_fini(&p);
	assert_xen_clean();
}

static void bad_config_and_missing_store(void **state)
{
	struct platform_config cfg;
	struct platform p;

	(void)state;
	platform_fixture_config(&cfg);
	cfg.map_frame = NULL;
	assert_int_equal(platform_init(&p, &cfg), -XEN_EINVAL);
	assert_int_equal(platform_init(&p, NULL), -XEN_EINVAL);
	platform_fixture_config(&cfg);
	cfg.upcall_cpus = PLATFORM_MAX_CPUS + 1;
	assert_int_equal(platform_init(&p, &cfg), -XEN_EINVAL);

	/* The toolstack published no store, then an impossible port. */
	platform_fixture_config(&cfg);
	sim_hvm_set(HVM_PARAM_STORE_PFN, 0);
	assert_int_equal(platform_init(&p, &cfg), -XEN_ENOENT);
	assert_xen_clean();
	sim_hvm_set(HVM_PARAM_STORE_PFN, 1);
	/* (The FIFO reset this second bring-up needs cannot keep a store port
	 * the params do not name: only Xen-side leftovers are checked.) */
	sim_hvm_set(HVM_PARAM_STORE_EVTCHN, 1u << 20);
	assert_int_equal(platform_init(&p, &cfg), -XEN_ERANGE);
	assert_false(sim_sched_watchdog_armed(1, NULL));
	assert_int_equal(platform_suspend(&p, NULL), -XEN_ENODEV);
}

static void no_console_is_fine(void **state)
{
	struct platform_config cfg;
	struct platform p;

	(void)state;
	platform_fixture_config(&cfg);
	sim_hvm_set(HVM_PARAM_CONSOLE_EVTCHN, 0);
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_null(platform_console(&p));
	assert_int_equal(platform_suspend(&p, NULL), XEN_OK);
	assert_null(platform_console(&p));
	store_roundtrip(&p, "data/y", "2");
	platform_fini(&p);
}

/* Hypercalls the bring-up makes; each in turn fails at each of its first
 * few uses. */
static const struct {
	unsigned op;
	long cmd;
} calls[] = {
	{ __HYPERVISOR_xen_version, SIM_ANY_CMD },
	{ __HYPERVISOR_memory_op, XENMEM_add_to_physmap },
	{ __HYPERVISOR_event_channel_op, EVTCHNOP_init_control },
	{ __HYPERVISOR_event_channel_op, EVTCHNOP_expand_array },
	{ __HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq },
	{ __HYPERVISOR_grant_table_op, GNTTABOP_query_size },
	{ __HYPERVISOR_hvm_op, HVMOP_get_param },
	{ __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer },
	{ __HYPERVISOR_sched_op, SCHEDOP_watchdog },
};

/* The value of a node of the domain's home (the toolstack created
 * control/ nodes empty), as a string. */
static void expect_node_value(const char *node, const char *want)
{
	char path[128], *v;

	snprintf(path, sizeof(path), "/local/domain/1/%s", node);
	v = sim_xenstore_read(path);
	assert_non_null(v);
	assert_string_equal(v, want);
	free(v);
}

/* One bring-up in a fresh model with one fault armed by arm(); true if it
 * failed. Either way nothing may be left behind. */
static bool try_init(unsigned op, long cmd, unsigned skip, bool alloc, uint32_t xs_type)
{
	struct platform_config cfg;
	struct platform p;
	xen_status st;

	platform_fixture_done();
	platform_fixture_model();
	platform_fixture_config(&cfg);
	cfg.options.watchdog_s = 20;
	cfg.shutdown_watch = true;
	if (xs_type)
		sim_xenstore_fail_next(xs_type, "EACCES");
	else if (alloc)
		host_alloc_fail(skip, 1);
	else
		sim_fail(op, cmd, XEN_EIO, skip, 1);
	st = platform_init(&p, &cfg);
	sim_fail_clear();
	host_alloc_fail(0, 0);
	if (st == XEN_OK) {
		store_roundtrip(&p, "data/ok", "yes");
		platform_fini(&p);
	}
	assert_true(st <= 0);
	assert_xen_clean();
	assert_int_equal(sim_xenstore_watches(), 0);
	/* Never removed (the guest could not create it again), never left "1". */
	{
		char *v = sim_xenstore_read("/local/domain/1/control/feature-suspend");

		assert_non_null(v);
		assert_true(strcmp(v, "") == 0 || strcmp(v, "0") == 0);
		free(v);
	}
	assert_int_equal(host_live_allocations(), live_before);
	return st != XEN_OK;
}

static void every_step_fails_in_turn(void **state)
{
	unsigned i, skip, failures = 0, alloc_points = 0;

	(void)state;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		for (skip = 0; skip < 3; skip++)
			failures += try_init(calls[i].op, calls[i].cmd, skip, false, 0);
	/* Every allocation of the bring-up, one at a time, until none is
	 * left to fail. */
	/* The daemon refusing the feature flag or the watch. */
	assert_true(try_init(0, 0, 0, false, XS_WRITE));
	assert_true(try_init(0, 0, 0, false, XS_WATCH));
	for (skip = 0; skip < 1000 && try_init(0, 0, skip, true, 0); skip++)
		alloc_points++;
	assert_true(skip < 1000);
	assert_true(alloc_points >= 8);
	assert_true(failures >= 12);
	/* And after all that, a clean bring-up. */
	assert_false(try_init(0, 0, 1u << 30, true, 0));
}

struct watch_count {
	unsigned fired;
};

static void count_fn(void *ctx, const char *path)
{
	(void)path;
	((struct watch_count *)ctx)->fired++;
}

/* The early phase runs quiesced: any allocation there fails. */
static unsigned quiesced;
static void no_alloc_quiesce(void *ctx)
{
	(void)ctx;
	quiesced++;
	host_alloc_fail(0, 1u << 30);
}

static void no_alloc_release(void *ctx)
{
	(void)ctx;
	host_alloc_fail(0, 0);
}

static const struct suspend_ops no_alloc_ops = {
	.quiesce = no_alloc_quiesce,
	.release = no_alloc_release,
};

static void resume_rebuilds_every_module(void **state)
{
	struct sim_suspend_plan plan = { .mode = SIM_SUSPEND_NEW_DOMAIN, .first_port = 40 };
	struct platform_config cfg;
	struct platform p;
	struct watch_count wc = { 0 };
	struct store_watch *w;
	enum suspend_outcome out;
	evtchn_port_t store_port = sim_suspend_store_port();
	uint64_t store_pfn = sim_hvm_get(HVM_PARAM_STORE_PFN);
	size_t done;

	(void)state;
	platform_fixture_config(&cfg);
	cfg.options.watchdog_s = 30;
	cfg.unplug[UNPLUG_NICS] = true;
	cfg.unplug_build = 0x00090100;
	cfg.suspend_ops = &no_alloc_ops;
	unplug_init();
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_int_equal(store_watch_add(platform_store(&p), NULL, "data", count_fn, &wc, NULL, &w),
			 XEN_OK);
	platform_fixture_settle();
	assert_int_equal(wc.fired, 1);

	sim_suspend_set_plan(&plan);
	assert_int_equal(platform_suspend(&p, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_RESUMED);
	assert_int_equal(suspend_count(platform_suspend_object(&p)), 1);
	assert_int_equal(p.resumes, 1);
	assert_int_equal(quiesced, 1);
	/* The store moved to another frame and port; we followed. */
	assert_true(sim_hvm_get(HVM_PARAM_STORE_PFN) != store_pfn);
	assert_true(sim_suspend_store_port() >= 40);
	assert_int_equal(evtchn_port(p.store_ch), sim_suspend_store_port());
	assert_int_equal(p.store_pfn, sim_hvm_get(HVM_PARAM_STORE_PFN));
	store_roundtrip(&p, "data/after", "1");
	platform_fixture_settle();
	/* Re-registered: fired once on re-registration, once by our write. */
	assert_int_equal(wc.fired, 3);
	/* FIFO chosen again, console back on its new port. */
	assert_int_equal(evtchn_abi(), EVTCHN_ABI_FIFO);
	assert_true(sim_evtchn_fifo_active());
	assert_int_equal(evtchn_port(p.console_ch), sim_suspend_console_port());
	assert_int_equal(console_write(platform_console(&p), "x", 1, &done), XEN_OK);
	assert_int_equal(sim_evtchn_remote_received(sim_suspend_console_port()), 1);
	/* A fresh watchdog and timers in the new domain; NICs unplugged again. */
	assert_true(sim_sched_watchdog_armed(1, NULL));
	assert_int_equal(sim_sched_periodic_ns(0), watchdog_period_ns(30));
	assert_int_equal(sim_platform_unplugged() & UNPLUG_FLAG_NICS, UNPLUG_FLAG_NICS);
	assert_int_equal(sim_evtchn_ports_in_use(), 2 + PLATFORM_FIXTURE_VCPUS);

	/* Cancelled: the same domain carries on, nothing is redone. */
	store_port = sim_suspend_store_port();
	plan.mode = SIM_SUSPEND_CANCEL;
	sim_suspend_set_plan(&plan);
	assert_int_equal(platform_suspend(&p, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_CANCELLED);
	assert_int_equal(p.resumes, 1);
	assert_int_equal(evtchn_port(p.store_ch), store_port);
	assert_true(evtchn_active(p.store_ch));
	store_roundtrip(&p, "data/cancelled", "1");
	platform_fixture_settle();
	assert_int_equal(wc.fired, 4);

	/* Failed hypercall: reported, nothing redone. */
	plan.mode = SIM_SUSPEND_FAIL;
	plan.fail_errno = XEN_EPERM;
	sim_suspend_set_plan(&plan);
	assert_int_equal(platform_suspend(&p, &out), -XEN_EPERM);
	assert_int_equal(out, SUSPEND_FAILED);
	store_roundtrip(&p, "data/failed", "1");

	assert_int_equal(store_watch_remove(platform_store(&p), w), XEN_OK);
	platform_fini(&p);
	assert_xen_clean();
}

/* A resume whose store comes back broken reports it; the next one heals. */
static void rebuild_failures_are_reported(void **state)
{
	struct sim_suspend_plan plan = { .mode = SIM_SUSPEND_NEW_DOMAIN };
	struct platform_config cfg;
	struct platform p;

	(void)state;
	platform_fixture_config(&cfg);
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	sim_suspend_set_plan(&plan);
	/* Shared info re-map fails in the early phase. */
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_ENOMEM, 0, 1);
	assert_int_equal(platform_suspend(&p, NULL), -XEN_ENOMEM);
	assert_int_equal(platform_suspend(&p, NULL), XEN_OK);
	store_roundtrip(&p, "data/healed", "1");
	/* The store port lookup fails in the late phase. */
	sim_fail(__HYPERVISOR_hvm_op, HVMOP_get_param, XEN_EIO, 0, 1);
	assert_int_equal(platform_suspend(&p, NULL), -XEN_EIO);
	assert_int_equal(platform_suspend(&p, NULL), XEN_OK);
	store_roundtrip(&p, "data/healed2", "1");
	assert_int_equal(suspend_count(platform_suspend_object(&p)), 4);
	platform_fini(&p);
	assert_xen_clean();
}

static bool ch_event(void *arg)
{
	(*(unsigned *)arg)++;
	return true;
}

struct reentry {
	struct platform *p;
	xen_status st;
};

static void late_suspends_again(void *arg)
{
	struct reentry *r = arg;

	r->st = platform_suspend(r->p, NULL);
}

/* Xen answers something impossible while the domain did not change: the
 * rebuild must still leave a working platform (and no second watchdog). */
static void impossible_result_in_the_same_domain(void **state)
{
	struct sim_suspend_plan plan = { .mode = SIM_SUSPEND_SAME_DOMAIN, .result = 5 };
	struct platform_config cfg;
	struct platform p;
	struct watch_count wc = { 0 };
	struct store_watch *w;
	struct evtchn_channel *ch;
	struct suspend_callback *cb;
	struct reentry re = { &p, 1 };
	enum suspend_outcome out;
	unsigned events = 0, before;
	evtchn_port_t rport;

	(void)state;
	platform_fixture_config(&cfg);
	cfg.options.watchdog_s = 30;
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_int_equal(store_watch_add(platform_store(&p), NULL, "data", count_fn, &wc, NULL, &w),
			 XEN_OK);
	assert_int_equal(suspend_register(platform_suspend_object(&p), SUSPEND_CALLBACK_LATE,
					  late_suspends_again, &re, &cb), XEN_OK);
	platform_fixture_settle();
	sim_suspend_set_plan(&plan);
	assert_int_equal(platform_suspend(&p, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_RESUMED);
	assert_int_equal(re.st, -XEN_EBUSY);
	assert_int_equal(platform_suspend_object(&p)->bogus, 1);
	/* Still one watchdog, the store and console on their (rebound) ports. */
	assert_true(sim_sched_watchdog_armed(1, NULL) != sim_sched_watchdog_armed(2, NULL));
	assert_int_equal(evtchn_port(p.store_ch), sim_suspend_store_port());
	assert_true(evtchn_active(p.store_ch));
	store_roundtrip(&p, "data/same", "1");
	platform_fixture_settle();
	assert_true(wc.fired >= 2);
	/* A client channel opened now works. */
	rport = sim_evtchn_remote_alloc_unbound(7);
	assert_int_equal(evtchn_open_interdomain(7, rport, false, ch_event, &events, &ch), XEN_OK);
	(void)evtchn_unmask(ch, false, false);
	platform_fixture_settle();
	before = events;
	assert_true(sim_evtchn_remote_send(evtchn_port(ch)));
	platform_fixture_settle();
	assert_int_equal(events, before + 1);
	evtchn_close(ch);
	suspend_deregister(platform_suspend_object(&p), cb);
	assert_int_equal(store_watch_remove(platform_store(&p), w), XEN_OK);
	platform_fini(&p);
	assert_false(sim_sched_watchdog_armed(1, NULL) || sim_sched_watchdog_armed(2, NULL));
}

/* xl save: the toolstack writes control/shutdown = suspend. */
static void toolstack_asks_for_suspend(void **state)
{
	struct sim_suspend_plan plan = { .mode = SIM_SUSPEND_NEW_DOMAIN, .first_port = 9 };
	struct platform_config cfg;
	struct platform p;
	char *v;

	(void)state;
	platform_fixture_config(&cfg);
	cfg.shutdown_watch = true;
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	v = sim_xenstore_read("/local/domain/1/control/feature-suspend");
	assert_string_equal(v, "1");
	free(v);
	sim_suspend_set_plan(&plan);
	platform_fixture_settle();
	assert_int_equal(sim_suspend_calls(), 0);
	/* Anything but "suspend" is left alone. */
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/shutdown", "reboot"), 0);
	platform_fixture_settle();
	assert_int_equal(sim_suspend_calls(), 0);
	v = sim_xenstore_read("/local/domain/1/control/shutdown");
	assert_string_equal(v, "reboot");
	free(v);
	/* Twice: the watch must survive the first resume. */
	for (unsigned i = 1; i <= 2; i++) {
		/* A new domain's toolstack creates its control/ nodes afresh. */
		assert_int_equal(sim_xenstore_write("/local/domain/1/control/feature-suspend", ""), 0);
		assert_int_equal(sim_xenstore_write("/local/domain/1/control/shutdown", "suspend"), 0);
		platform_fixture_settle();
		assert_int_equal(sim_suspend_calls(), i);
		assert_int_equal(p.shutdown_suspends, i);
		assert_int_equal(suspend_count(platform_suspend_object(&p)), i);
		v = sim_xenstore_read("/local/domain/1/control/shutdown");
		assert_string_equal(v, "");	/* acknowledged */
		free(v);
		expect_node_value("control/feature-suspend", "1");	/* advertised again */
	}
	platform_fini(&p);
	expect_node_value("control/feature-suspend", "0");
	assert_int_equal(sim_xenstore_watches(), 0);
	/* Up again in the same domain (a driver stopped and started): the
	 * guest can still advertise (found on real Xen, where a removed node
	 * could not be created again). */
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	expect_node_value("control/feature-suspend", "1");
	platform_fini(&p);
}

static void balloon_follows_its_target_across_resume(void **state)
{
	struct sim_suspend_plan plan = { .mode = SIM_SUSPEND_NEW_DOMAIN, .first_port = 30 };
	struct platform_config cfg;
	struct platform p;
	char *v;

	(void)state;
	sim_memory_init(1024, 0);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/static-max", "4096"), 0);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/target", "2048"), 0);
	platform_fixture_config(&cfg);
	cfg.balloon_pages_alloc = sim_memory_os_alloc;
	cfg.balloon_pages_free = sim_memory_os_free;
	cfg.shutdown_watch = true;

	/* XEN:BALLOON=OFF: no balloon at all. */
	cfg.options.balloon = false;
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_null(p.balloon);
	assert_int_equal(platform_balloon_retry(&p), -XEN_ENODEV);
	platform_fini(&p);

	/* The toolstack refuses control/feature-balloon (libxl gives a PVH
	 * guest no such node): a warning; the balloon still follows. */
	cfg.options.balloon = true;
	sim_xenstore_fail_next(XS_WRITE, "EACCES");
	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_non_null(p.balloon);
	platform_fixture_settle();
	expect_node_value("control/feature-balloon", "");
	assert_int_equal(p.balloon_status, XEN_OK);
	assert_int_equal(balloon_size(p.balloon), 512);
	platform_fini(&p);
	assert_int_equal(sim_memory_tot_pages(), 1024);

	assert_int_equal(platform_init(&p, &cfg), XEN_OK);
	assert_non_null(p.balloon);
	platform_fixture_settle();
	assert_int_equal(p.balloon_status, XEN_OK);
	assert_int_equal(balloon_size(p.balloon), 512);
	assert_int_equal(sim_memory_tot_pages(), 512);
	v = sim_xenstore_read("/local/domain/1/control/feature-balloon");
	assert_string_equal(v, "1");
	free(v);

	/* Restarted after a resume: advertised again, target honoured. */
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/feature-balloon", ""), 0);
	sim_suspend_set_plan(&plan);
	assert_int_equal(platform_suspend(&p, NULL), XEN_OK);
	platform_fixture_settle();
	expect_node_value("control/feature-balloon", "1");
	assert_int_equal(balloon_size(p.balloon), 512);
	assert_int_equal(sim_xenstore_write("/local/domain/1/memory/target", "3072"), 0);
	platform_fixture_settle();
	assert_int_equal(balloon_size(p.balloon), 256);
	assert_int_equal(platform_balloon_retry(&p), XEN_OK);

	/* A suspend request waits while the balloon is busy. */
	assert_true(balloon_suspend_trylock(p.balloon));
	assert_int_equal(sim_xenstore_write("/local/domain/1/control/shutdown", "suspend"), 0);
	platform_fixture_settle();
	assert_int_equal(sim_suspend_calls(), 1);
	assert_true(p.shutdown_deferred);
	balloon_suspend_unlock(p.balloon);
	/* ... and goes ahead once the balloon's work is over. */
	assert_int_equal(platform_balloon_retry(&p), XEN_OK);
	platform_fixture_settle();
	assert_int_equal(sim_suspend_calls(), 2);
	assert_int_equal(p.shutdown_suspends, 1);
	assert_int_equal(balloon_size(p.balloon), 256);

	/* Teardown gives every page back first. */
	platform_fini(&p);
	assert_int_equal(sim_memory_tot_pages(), 1024);
	expect_node_value("control/feature-balloon", "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bring_up_and_down, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_config_and_missing_store, setup, teardown),
		cmocka_unit_test_setup_teardown(no_console_is_fine, setup, teardown),
		cmocka_unit_test_setup_teardown(every_step_fails_in_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_rebuilds_every_module, setup, teardown),
		cmocka_unit_test_setup_teardown(rebuild_failures_are_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(impossible_result_in_the_same_domain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(toolstack_asks_for_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(balloon_follows_its_target_across_resume, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
