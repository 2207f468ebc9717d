/* A store client wired to the xenstored model, for the store test suites. */
#ifndef XB_STORE_FIXTURE_H
#define XB_STORE_FIXTURE_H

#include "sim_xenstore.h"
#include "store.h"
#include "store_watch.h"

struct store_fixture {
	struct store *store;
	struct xenstore_domain_interface *page;
	long live_before;
	unsigned logs;
	char last_log[64];
};

/* sim_init + model + client (timeout_ns 0: the default), virtual time. */
struct store_fixture *store_fixture_new(uint64_t timeout_ns);
/* Destroy the client and the model; true if nothing leaked. */
bool store_fixture_free(struct store_fixture *fx);
/* The model's notify: deliver to fx's client. */
void store_fixture_notify(void *ctx);

/* cmocka setup/teardown around a fixture in *state: the default timeout,
 * or a short one (STORE_FIXTURE_SHORT_NS of virtual time) for peers that go
 * silent. Teardown fails the test on a leak. */
#define STORE_FIXTURE_SHORT_NS 3000000ull
#define FX(state) ((struct store_fixture *)*(state))
int store_fixture_setup(void **state);
int store_fixture_setup_short(void **state);
int store_fixture_teardown(void **state);

/* Let the model and the deferred work run until both are idle. */
void store_fixture_settle(void);

/* Records watch callbacks. */
struct watch_log {
	unsigned count;
	unsigned locks_held;	/* sum of host_locks_held() seen in callbacks */
	char last[256];
};
void watch_log_fn(void *ctx, const char *path);

#endif /* XB_STORE_FIXTURE_H */
