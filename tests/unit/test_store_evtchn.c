/* The XenStore client wired as on real Xen: the daemon's notifications arrive
 * as an interdomain event channel (model -> sim_evtchn -> upcall -> evtchn
 * dispatch -> store_event), and the client kicks the daemon with
 * evtchn_send. Both event channel ABIs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "evtchn_fixture.h"
#include "host.h"
#include "store_fixture.h"

static struct {
	struct store *store;
	struct evtchn_channel *ch;
	unsigned irqs;
} w;

static bool store_irq(void *arg)
{
	(void)arg;
	w.irqs++;
	store_event(w.store);
	return true;
}

static void kick_daemon(void *ctx)
{
	evtchn_send(ctx);
}

static void daemon_kicks_guest(void *ctx)
{
	(void)ctx;
	sim_evtchn_remote_send(evtchn_port(w.ch));
}

static int wire_up(bool force_2level)
{
	const struct evtchn_fixture_opts opts = { .force_2level = force_2level };
	struct store_config cfg = { 0 };

	if (evtchn_fixture_up(&opts))
		return -1;
	/* The toolstack's store channel: bound by xenstored in dom0. */
	if (evtchn_open_unbound(0, false, store_irq, NULL, &w.ch) ||
	    !sim_evtchn_remote_bind(0, evtchn_port(w.ch)))
		return -1;
	evtchn_unmask(w.ch, false, true);
	cfg.intf = sim_xenstore_init();
	cfg.notify = kick_daemon;
	cfg.notify_ctx = w.ch;
	sim_xenstore_set_notify(daemon_kicks_guest, NULL);
	return store_create(&cfg, &w.store) ? -1 : 0;
}

static int setup_fifo(void **state)
{
	(void)state;
	return wire_up(false);
}

static int setup_2level(void **state)
{
	(void)state;
	return wire_up(true);
}

static int teardown(void **state)
{
	(void)state;
	host_run_work();
	store_destroy(w.store);
	evtchn_close(w.ch);
	evtchn_fixture_down();
	memset(&w, 0, sizeof(w));
	return 0;
}

struct async {
	unsigned done;
	xen_status status;
	char value[16];
};

static void async_done(void *ctx, xen_status status, char *body, uint32_t len)
{
	struct async *a = ctx;

	a->done++;
	a->status = status;
	if (body && len < sizeof(a->value))
		memcpy(a->value, body, len + 1);
	store_free(body);
}

static void replies_arrive_through_the_event_channel(void **state)
{
	struct store_piece p = { "ev/value", 9 };
	struct async a = { 0 };
	char *v;
	uint32_t len;

	(void)state;
	assert_int_equal(store_write_str(w.store, NULL, NULL, "ev/value", "through"), XEN_OK);
	assert_true(sim_evtchn_remote_received(evtchn_port(w.ch)) > 0);
	/* Nobody polls the client: only the upcall can complete this. */
	assert_int_equal(store_submit(w.store, XS_READ, NULL, &p, 1, async_done, &a), XEN_OK);
	w.irqs = 0;
	sim_poll();
	assert_true(w.irqs > 0);
	assert_int_equal(a.done, 0);	/* the upcall only queued work */
	host_run_work();
	assert_int_equal(a.done, 1);
	assert_int_equal(a.status, XEN_OK);
	assert_string_equal(a.value, "through");
	assert_int_equal(store_read(w.store, NULL, NULL, "ev/value", &v, &len), XEN_OK);
	store_free(v);
}

static void watches_fire_through_the_event_channel(void **state)
{
	struct watch_log log = { 0 };
	struct store_watch *watch;

	(void)state;
	assert_int_equal(store_watch_add(w.store, NULL, "ev/w", watch_log_fn, &log, NULL, &watch),
			 XEN_OK);
	store_fixture_settle();
	assert_int_equal(log.count, 1);
	w.irqs = 0;
	assert_int_equal(sim_xenstore_write("/local/domain/1/ev/w/x", "1"), 0);
	sim_poll();
	assert_true(w.irqs > 0);
	host_run_work();
	assert_int_equal(log.count, 2);
	assert_string_equal(log.last, "ev/w/x");
	assert_int_equal(log.locks_held, 0);
	assert_int_equal(store_watch_remove(w.store, watch), XEN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(replies_arrive_through_the_event_channel,
						setup_fifo, teardown),
		cmocka_unit_test_setup_teardown(watches_fire_through_the_event_channel,
						setup_fifo, teardown),
		cmocka_unit_test_setup_teardown(replies_arrive_through_the_event_channel,
						setup_2level, teardown),
		cmocka_unit_test_setup_teardown(watches_fire_through_the_event_channel,
						setup_2level, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
