#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "store_fixture.h"

void store_fixture_notify(void *ctx)
{
	struct store_fixture *fx = ctx;

	if (fx->store)
		store_event(fx->store);
}

static void fixture_log(void *ctx, const char *what, uint32_t a, uint32_t b)
{
	struct store_fixture *fx = ctx;

	fx->logs++;
	snprintf(fx->last_log, sizeof(fx->last_log), "%s", what);
	(void)a;
	(void)b;
}

struct store_fixture *store_fixture_new(uint64_t timeout_ns)
{
	struct store_fixture *fx = calloc(1, sizeof(*fx));
	struct store_config cfg = { 0 };

	sim_init(NULL);
	host_time_virtual(true);
	fx->live_before = host_live_allocations();
	fx->page = sim_xenstore_init();
	sim_xenstore_set_notify(store_fixture_notify, fx);
	cfg.intf = fx->page;
	cfg.notify = sim_xenstore_kick;
	cfg.log = fixture_log;
	cfg.log_ctx = fx;
	cfg.timeout_ns = timeout_ns;
	if (store_create(&cfg, &fx->store) != 0)
		abort();
	return fx;
}

bool store_fixture_free(struct store_fixture *fx)
{
	bool clean;

	host_run_work();
	store_destroy(fx->store);
	fx->store = NULL;
	sim_fini();
	clean = host_live_allocations() == fx->live_before;
	host_reset();
	free(fx);
	return clean;
}

void watch_log_fn(void *ctx, const char *path)
{
	struct watch_log *log = ctx;

	log->count++;
	log->locks_held += host_locks_held();
	snprintf(log->last, sizeof(log->last), "%s", path);
}

void store_fixture_settle(void)
{
	unsigned i;

	for (i = 0; i < 20; i++) {
		sim_poll();
		host_run_work();
	}
}

int store_fixture_setup(void **state)
{
	*state = store_fixture_new(0);
	return 0;
}

int store_fixture_setup_short(void **state)
{
	*state = store_fixture_new(STORE_FIXTURE_SHORT_NS);
	return 0;
}

int store_fixture_teardown(void **state)
{
	return store_fixture_free(*state) ? 0 : -1;
}
