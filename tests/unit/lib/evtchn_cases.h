/* Shared by the event channel test programs: fixture options for both
 * ABIs, a recording callback and setup/teardown that check the ABI chosen. */
#ifndef XB_TEST_EVTCHN_CASES_H
#define XB_TEST_EVTCHN_CASES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "evtchn_fixture.h"
#include "hypercall.h"
#include "shared_info.h"

#define REMOTE 0	/* the peer domain (dom0) */
#define MANY 4096

static const struct evtchn_fixture_opts __attribute__((unused)) fifo_1 = { 0 };
static const struct evtchn_fixture_opts __attribute__((unused)) l2_1 = { .force_2level = true };
static const struct evtchn_fixture_opts __attribute__((unused)) fifo_4 = { .vcpus = 4, .all_cpus_upcall = true };
static const struct evtchn_fixture_opts __attribute__((unused)) l2_4 = { .vcpus = 4, .all_cpus_upcall = true,
						 .force_2level = true };

struct rec {
	unsigned calls;
	unsigned cpu;
	unsigned order;
	struct evtchn_channel *ch;
	bool unmask_in_cb;
	bool close_in_cb;
};

static unsigned call_seq __attribute__((unused));

static inline bool record(void *arg)
{
	struct rec *r = arg;

	r->calls++;
	r->cpu = os_cpu_current();
	r->order = ++call_seq;
	if (r->unmask_in_cb)
		evtchn_unmask(r->ch, true, false);
	if (r->close_in_cb) {
		evtchn_close(r->ch);
		r->ch = NULL;
	}
	return true;
}

static inline enum evtchn_abi want_abi(const struct evtchn_fixture_opts *o)
{
	return o->force_2level || o->fifo_enosys ? EVTCHN_ABI_2LEVEL : EVTCHN_ABI_FIFO;
}

static inline int up(void **state)
{
	const struct evtchn_fixture_opts *o = *state;

	call_seq = 0;
	if (evtchn_fixture_up(o) != XEN_OK)
		return -1;
	return evtchn_abi() == want_abi(o) ? 0 : -1;
}

static inline int down(void **state)
{
	(void)state;
	evtchn_fixture_down();
	return 0;
}

/* Open an unbound channel and let the remote end bind it. */
static inline struct evtchn_channel *open_peer(struct rec *r, bool mask_on_cb)
{
	struct evtchn_channel *ch = NULL;

	assert_int_equal(evtchn_open_unbound(REMOTE, mask_on_cb, record, r, &ch), XEN_OK);
	assert_non_null(ch);
	assert_int_not_equal(sim_evtchn_remote_bind(REMOTE, evtchn_port(ch)), 0);
	r->ch = ch;
	return ch;
}

#define BOTH(fn, f, l)                                                                     \
	cmocka_unit_test_prestate_setup_teardown(fn, up, down, (void *)&f),                \
		cmocka_unit_test_prestate_setup_teardown(fn, up, down, (void *)&l)

#endif /* XB_TEST_EVTCHN_CASES_H */
