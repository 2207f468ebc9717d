/* suspend.c: callback lists, the suspend sequence and result handling. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "host.h"
#include "hypercall.h"
#include "sim.h"
#include "sim_sched.h"
#include "suspend.h"

static char trace[512];
static struct suspend sus;
static long live_before;

static void note(const char *what)
{
	strncat(trace, what, sizeof(trace) - strlen(trace) - 1);
}

static void quiesce(void *ctx)
{
	(void)ctx;
	note("Q ");
}

static void release(void *ctx)
{
	(void)ctx;
	note("R ");
}

static void cb_note(void *arg)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s(%u) ", (const char *)arg, suspend_count(&sus));
	note(buf);
}

static int setup(void **state)
{
	static const struct suspend_ops ops = { .quiesce = quiesce, .release = release };
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	sim_sched_init();
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]))
		return -1;
	live_before = host_live_allocations();
	suspend_init(&sus, &ops);
	trace[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	suspend_fini(&sus);
	hypercall_fini();
	sim_fini();
	if (host_live_allocations() != live_before)
		return -1;
	host_reset();
	return 0;
}

static void register_checks_arguments(void **state)
{
	struct suspend_callback *cb = (void *)1;

	(void)state;
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_INVALID, cb_note, "x", &cb),
			 -XEN_EINVAL);
	assert_null(cb);
	assert_int_equal(suspend_register(&sus, 3, cb_note, "x", &cb), -XEN_EINVAL);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_EARLY, NULL, "x", &cb),
			 -XEN_EINVAL);
	host_alloc_fail(0, 1);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "x", &cb),
			 -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_null(cb);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_LATE), 0);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_INVALID), 0);
	suspend_deregister(&sus, NULL);
}

static void resume_runs_early_then_late_in_order(void **state)
{
	struct suspend_callback *e1, *e2, *l1, *l2;
	enum suspend_outcome out = SUSPEND_FAILED;

	(void)state;
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "L1", &l1), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_EARLY, cb_note, "E1", &e1), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "L2", &l2), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_EARLY, cb_note, "E2", &e2), 0);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_EARLY), 2);
	assert_int_equal(suspend_count(&sus), 0);
	assert_int_equal(suspend_trigger(&sus, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_RESUMED);
	/* The count is up before the early callbacks; early run quiesced. */
	assert_string_equal(trace, "Q E1(1) E2(1) R L1(1) L2(1) ");
	assert_int_equal(sim_sched_last_shutdown(), SHUTDOWN_suspend);
	assert_int_equal(sim_calls(__HYPERVISOR_sched_op, SCHEDOP_shutdown), 1);

	suspend_deregister(&sus, e1);
	suspend_deregister(&sus, l2);
	trace[0] = '\0';
	assert_int_equal(suspend_trigger(&sus, NULL), XEN_OK);
	assert_string_equal(trace, "Q E2(2) R L1(2) ");
	assert_int_equal(suspend_count(&sus), 2);
	suspend_deregister(&sus, e2);
	suspend_deregister(&sus, l1);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_LATE), 0);
}

static void cancel_and_failure_run_nothing(void **state)
{
	struct suspend_callback *e, *l;
	enum suspend_outcome out = SUSPEND_RESUMED;

	(void)state;
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_EARLY, cb_note, "E", &e), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "L", &l), 0);
	sim_sched_set_suspend_result(1);
	assert_int_equal(suspend_trigger(&sus, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_CANCELLED);
	assert_string_equal(trace, "Q R ");
	assert_int_equal(suspend_count(&sus), 0);
	assert_int_equal(sus.cancelled, 1);

	trace[0] = '\0';
	sim_fail(__HYPERVISOR_sched_op, SCHEDOP_shutdown, XEN_EPERM, 0, 1);
	assert_int_equal(suspend_trigger(&sus, &out), -XEN_EPERM);
	assert_int_equal(out, SUSPEND_FAILED);
	assert_string_equal(trace, "Q R ");
	assert_int_equal(suspend_count(&sus), 0);

	/* An impossible result: rebuilding is the safe reading. */
	trace[0] = '\0';
	sim_sched_set_suspend_result(7);
	assert_int_equal(suspend_trigger(&sus, &out), XEN_OK);
	assert_int_equal(out, SUSPEND_RESUMED);
	assert_string_equal(trace, "Q E(1) R L(1) ");
	assert_int_equal(sus.bogus, 1);
	assert_int_equal(sus.last_result, 7);
	suspend_deregister(&sus, e);
	suspend_deregister(&sus, l);
}

struct meddler {
	struct suspend_callback *self, *victim, *added;
	xen_status nested;
	unsigned runs;
};

static void cb_meddle(void *arg)
{
	struct meddler *m = arg;

	m->runs++;
	note("M ");
	m->nested = suspend_trigger(&sus, NULL);
	if (m->victim) {
		suspend_deregister(&sus, m->victim);
		m->victim = NULL;
	}
	if (!m->added)
		assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "new",
						  &m->added), 0);
	suspend_deregister(&sus, m->self);
}

static void callbacks_may_change_the_lists(void **state)
{
	struct meddler m = { 0 };
	struct suspend_callback *victim, *keep;

	(void)state;
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_meddle, &m, &m.self), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "victim", &victim),
			 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "keep", &keep), 0);
	m.victim = victim;
	assert_int_equal(suspend_trigger(&sus, NULL), XEN_OK);
	/* The victim was dropped before its turn, the new one waits for the
	 * next suspend, a nested trigger is refused. */
	assert_string_equal(trace, "Q R M keep(1) ");
	assert_int_equal(m.nested, -XEN_EBUSY);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_LATE), 2);
	trace[0] = '\0';
	assert_int_equal(suspend_trigger(&sus, NULL), XEN_OK);
	assert_string_equal(trace, "Q R keep(2) new(2) ");
	assert_int_equal(m.runs, 1);
	suspend_deregister(&sus, keep);
	suspend_deregister(&sus, m.added);
	assert_int_equal(suspend_registered(&sus, SUSPEND_CALLBACK_LATE), 0);
}

static void fini_frees_leftovers(void **state)
{
	struct suspend_callback *cb;

	(void)state;
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_EARLY, cb_note, "a", &cb), 0);
	assert_int_equal(suspend_register(&sus, SUSPEND_CALLBACK_LATE, cb_note, "b", &cb), 0);
	/* teardown's suspend_fini must free both (leak check there). */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(register_checks_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_runs_early_then_late_in_order, setup,
						teardown),
		cmocka_unit_test_setup_teardown(cancel_and_failure_run_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(callbacks_may_change_the_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(fini_frees_leftovers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
