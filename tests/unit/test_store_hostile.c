/* XenStore client against a hostile peer: each case gets a clear status,
 * no crash, no hang, no leak (the fixture checks allocations). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "host.h"
#include "store_fixture.h"

static xen_status read_ok(struct store *s, const char *node, const char *want)
{
	char *v;
	uint32_t len;
	xen_status st = store_read(s, NULL, NULL, node, &v, &len);

	if (st == XEN_OK) {
		assert_int_equal(len, strlen(want));
		assert_memory_equal(v, want, len);
		store_free(v);
	} else {
		assert_null(v);
	}
	return st;
}

static void bad_response_producer_index(void **state)
{
	struct store_fixture *fx = FX(state);

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "h", "1"), XEN_OK);
	sim_xenstore_hostile(SIM_XS_BAD_RSP_PROD, 0);
	/* The reply itself may or may not be read before the bad index. */
	(void)read_ok(fx->store, "h", "1");
	assert_int_equal(read_ok(fx->store, "h", "1"), -XEN_ENOTCONN);
	assert_int_equal(store_connection_error(fx->store), -XEN_ERANGE);
	assert_int_equal(fx->page->error, XENSTORE_ERROR_RINGIDX);
	assert_true(fx->logs > 0);
	/* Every later request fails at once. */
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "h", "2"), -XEN_ENOTCONN);
}

static void bad_request_consumer_index(void **state)
{
	struct store_fixture *fx = FX(state);

	sim_xenstore_hostile(SIM_XS_BAD_REQ_CONS, 0);
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "h", "1"), XEN_OK);
	assert_int_equal(read_ok(fx->store, "h", "1"), -XEN_ENOTCONN);
	assert_int_equal(store_connection_error(fx->store), -XEN_ERANGE);
}

static void oversized_length(void **state)
{
	struct store_fixture *fx = FX(state);

	sim_xenstore_hostile(SIM_XS_OVERSIZED, 0);
	assert_int_equal(read_ok(fx->store, "h", ""), -XEN_ENOTCONN);
	assert_int_equal(store_connection_error(fx->store), -XEN_EMSGSIZE);
	assert_int_equal(fx->page->error, XENSTORE_ERROR_PROTO);
	/* The largest length there is. */
	assert_true(store_fixture_free(fx));
	*state = fx = store_fixture_new(STORE_FIXTURE_SHORT_NS);
	sim_xenstore_hostile(SIM_XS_OVERSIZED, 0xffffffffu - 4097);
	assert_int_equal(read_ok(fx->store, "h", ""), -XEN_ENOTCONN);
	assert_int_equal(store_connection_error(fx->store), -XEN_EMSGSIZE);
}

static void unknown_req_id_is_rejected(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store_stats st;

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "u", "val"), XEN_OK);
	sim_xenstore_hostile(SIM_XS_UNKNOWN_REQ_ID, 0);
	assert_int_equal(read_ok(fx->store, "u", "val"), XEN_OK);
	store_get_stats(fx->store, &st);
	assert_int_equal(st.unknown_req_id, 1);
	assert_string_equal(fx->last_log, "reply with unknown req_id");
	assert_int_equal(store_connection_error(fx->store), XEN_OK);
}

static void wrong_reply_type(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store_stats st;

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "u", "val"), XEN_OK);
	sim_xenstore_hostile(SIM_XS_WRONG_TYPE, 0);
	assert_int_equal(read_ok(fx->store, "u", "val"), -XEN_EBADMSG);
	store_get_stats(fx->store, &st);
	assert_int_equal(st.wrong_type, 1);
	assert_string_equal(fx->last_log, "reply of the wrong type");
	/* The connection itself is still good. */
	assert_int_equal(read_ok(fx->store, "u", "val"), XEN_OK);
}

static void truncated_reply_times_out(void **state)
{
	struct store_fixture *fx = FX(state);

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "t", "0123456789"), XEN_OK);
	sim_xenstore_hostile(SIM_XS_TRUNCATED, 0);
	assert_int_equal(read_ok(fx->store, "t", "0123456789"), -XEN_ETIMEDOUT);
	assert_int_equal(read_ok(fx->store, "t", "0123456789"), -XEN_ETIMEDOUT);
}

static void truncated_header_times_out(void **state)
{
	struct store_fixture *fx = FX(state);

	sim_xenstore_hostile(SIM_XS_TRUNCATED_HDR, 0);
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "t", "1"), -XEN_ETIMEDOUT);
}

struct done_ctx {
	unsigned done;
	xen_status status;
};

static void done_fn(void *ctx, xen_status status, char *body, uint32_t len)
{
	struct done_ctx *d = ctx;

	(void)len;
	d->done++;
	d->status = status;
	store_free(body);
}

static void watch_event_flood_is_bounded(void **state)
{
	struct store_fixture *fx = FX(state);
	struct watch_log log = { 0 };
	struct store_watch *w;
	struct store_stats st;
	struct store_piece p = { "x\0001", 3 };
	struct done_ctx d = { 0 };
	long live;

	assert_int_equal(store_watch_add(fx->store, NULL, "flood", watch_log_fn, &log, NULL, &w),
			 XEN_OK);
	store_fixture_settle();
	assert_int_equal(log.count, 1);
	sim_xenstore_hostile(SIM_XS_WATCH_FLOOD, 5000);
	assert_int_equal(store_submit(fx->store, XS_WRITE, NULL, &p, 1, done_fn, &d), XEN_OK);
	/* Drain the ring without running the deferred work: memory stays
	 * bounded by the per-watch cap. */
	for (unsigned i = 0; i < 2000; i++) {
		sim_poll();
		store_poll(fx->store);
	}
	live = host_live_allocations();
	/* Each queued event is two allocations. */
	assert_true(live - fx->live_before < 2 * STORE_WATCH_QUEUE_MAX + 16);
	store_fixture_settle();
	store_get_stats(fx->store, &st);
	assert_int_equal(st.watch_events, 5001);
	assert_int_equal(st.watch_overflows, 5000 - STORE_WATCH_QUEUE_MAX);
	assert_int_equal(d.done, 1);
	assert_int_equal(d.status, XEN_OK);
	/* Queued events, then one coalesced delivery of the watch's path. */
	assert_int_equal(log.count, 1 + STORE_WATCH_QUEUE_MAX + 1);
	assert_string_equal(log.last, "flood");
	assert_int_equal(store_watch_remove(fx->store, w), XEN_OK);
}

static void malformed_watch_events(void **state)
{
	struct store_fixture *fx = FX(state);
	struct watch_log log = { 0 };
	struct store_watch *w;
	struct store_stats st;

	assert_int_equal(store_watch_add(fx->store, NULL, "m", watch_log_fn, &log, NULL, &w), XEN_OK);
	store_fixture_settle();
	sim_xenstore_hostile(SIM_XS_BAD_WATCH_EVENTS, 0);
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "x", "1"), XEN_OK);
	store_fixture_settle();
	store_get_stats(fx->store, &st);
	assert_int_equal(st.bad_messages, 3);	/* no NUL, empty token, empty */
	assert_int_equal(st.watch_unknown, 2);	/* unknown id, foreign token */
	assert_int_equal(log.count, 1);
	assert_int_equal(store_watch_remove(fx->store, w), XEN_OK);
}

static void malformed_error_replies(void **state)
{
	struct store_fixture *fx = FX(state);

	sim_xenstore_hostile(SIM_XS_BAD_ERROR, 0);
	assert_int_equal(read_ok(fx->store, "x", ""), -XEN_EBADMSG);
	sim_xenstore_hostile(SIM_XS_BAD_ERROR, 1);	/* "ENOENT" without its NUL */
	assert_int_equal(read_ok(fx->store, "x", ""), -XEN_EBADMSG);
	assert_int_equal(read_ok(fx->store, "x", ""), -XEN_ENOENT);
}

static void malformed_replies_to_operations(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store_perm perms[4];
	struct store_tx *tx;
	unsigned n;
	char *list;
	uint32_t len;
	static const struct {
		uint32_t type;
		const char *body;
		uint32_t len;
	} cases[] = {
		{ XS_TRANSACTION_START, "abc", 4 },
		{ XS_TRANSACTION_START, "0", 2 },
		{ XS_TRANSACTION_START, "99999999999", 12 },
		{ XS_GET_PERMS, "x1", 3 },
		{ XS_GET_PERMS, "r70000", 7 },
		{ XS_GET_PERMS, "r1", 2 },
		{ XS_GET_PERMS, "", 0 },
		{ XS_DIRECTORY, "a\0\0b", 5 },
		{ XS_DIRECTORY, "ab", 2 },
		{ XS_DIRECTORY, "\0", 1 },
	};
	size_t i;
	xen_status st = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct xsd_sockmsg h = { cases[i].type, 0, 0, cases[i].len };

		/* Request ids count from 1 in each fresh fixture: the next
		 * request gets id i + 1. */
		h.req_id = (uint32_t)i + 1;
		sim_xenstore_pause(true);
		sim_xenstore_inject(&h, sizeof(h));
		sim_xenstore_inject(cases[i].body, cases[i].len);
		switch (cases[i].type) {
		case XS_TRANSACTION_START:
			st = store_transaction_start(fx->store, &tx);
			assert_null(tx);
			break;
		case XS_GET_PERMS:
			st = store_get_perms(fx->store, NULL, NULL, "x", perms, 4, &n);
			break;
		case XS_DIRECTORY:
			st = store_directory(fx->store, NULL, NULL, "x", &list, &len);
			assert_null(list);
			break;
		}
		assert_int_equal(st, -XEN_EBADMSG);
		sim_xenstore_pause(false);
		/* The model's real answer to that request is now stray. */
		store_fixture_settle();
	}
}

static void unknown_message_types_are_dropped(void **state)
{
	struct store_fixture *fx = FX(state);
	struct xsd_sockmsg h = { XS_TYPE_COUNT + 9, 12345, 0, 3 };
	struct store_stats st;

	sim_xenstore_inject(&h, sizeof(h));
	sim_xenstore_inject("abc", 3);
	store_poll(fx->store);
	store_get_stats(fx->store, &st);
	assert_int_equal(st.unknown_req_id, 1);
	assert_int_equal(store_connection_error(fx->store), XEN_OK);
	assert_int_equal(store_write_str(fx->store, NULL, NULL, "ok", "1"), XEN_OK);
}

static void scribbled_own_indices_are_ignored(void **state)
{
	struct store_fixture *fx = FX(state);
	struct store_piece p = { "s", 2 };
	struct done_ctx d = { 0 };

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "s", "1"), XEN_OK);
	/* The peer overwrites the index only we own: we write where our own
	 * copy says, and publish that copy, so the stream stays intact. */
	sim_xenstore_pause(true);
	fx->page->req_prod += 100;
	assert_int_equal(store_submit(fx->store, XS_READ, NULL, &p, 1, done_fn, &d), XEN_OK);
	sim_xenstore_pause(false);
	store_fixture_settle();
	assert_int_equal(d.done, 1);
	assert_int_equal(d.status, XEN_OK);
	assert_int_equal(read_ok(fx->store, "s", "1"), XEN_OK);
}

static void bad_page_on_resume_then_recovery(void **state)
{
	struct store_fixture *fx = FX(state);
	struct xenstore_domain_interface *page;
	struct watch_log log = { 0 };
	struct store_watch *w;

	assert_int_equal(store_write_str(fx->store, NULL, NULL, "r", "1"), XEN_OK);
	assert_int_equal(store_watch_add(fx->store, NULL, "r", watch_log_fn, &log, NULL, &w), XEN_OK);
	store_suspend(fx->store);
	page = sim_xenstore_move(true);
	page->rsp_cons = page->rsp_prod + 1;
	assert_int_equal(store_resume(fx->store, page, sim_xenstore_kick, NULL), -XEN_ERANGE);
	assert_int_equal(store_connection_error(fx->store), -XEN_ERANGE);
	assert_int_equal(read_ok(fx->store, "r", "1"), -XEN_ENOTCONN);
	/* A later resume onto a sane page brings everything back. */
	store_suspend(fx->store);
	page = sim_xenstore_move(true);
	assert_int_equal(store_resume(fx->store, page, sim_xenstore_kick, NULL), XEN_OK);
	assert_int_equal(store_connection_error(fx->store), XEN_OK);
	assert_int_equal(read_ok(fx->store, "r", "1"), XEN_OK);
	assert_int_equal(sim_xenstore_watches(), 1);
	store_fixture_settle();
	assert_int_equal(log.count, 2);
	assert_int_equal(store_watch_remove(fx->store, w), XEN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_response_producer_index, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(bad_request_consumer_index, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(oversized_length, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(unknown_req_id_is_rejected, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(wrong_reply_type, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(truncated_reply_times_out, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(truncated_header_times_out, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(watch_event_flood_is_bounded, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(malformed_watch_events, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(malformed_error_replies, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(malformed_replies_to_operations, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(unknown_message_types_are_dropped, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(scribbled_own_indices_are_ignored, store_fixture_setup_short, store_fixture_teardown),
		cmocka_unit_test_setup_teardown(bad_page_on_resume_then_recovery, store_fixture_setup_short, store_fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
