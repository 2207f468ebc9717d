/* Debug callback registry: order, prefixes, triggers, crash path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "debug.h"
#include "host.h"
#include "log.h"
#include "log_capture.h"

static struct debug dbg;
static char out[8192];
static unsigned locks_in_callback;

static void sink(void *ctx, const char *prefix, const char *fmt, va_list ap)
{
	size_t n = strlen(out);

	assert_ptr_equal(ctx, &dbg);
	n += (size_t)snprintf(out + n, sizeof(out) - n, "%s: ", prefix);
	vsnprintf(out + n, sizeof(out) - n, fmt, ap);
}

static int setup(void **state)
{
	(void)state;
	host_reset();
	out[0] = '\0';
	debug_init(&dbg, sink, &dbg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(debug_fini(&dbg), XEN_OK);
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static void cb_print(void *arg, bool crashing)
{
	locks_in_callback = host_locks_held();
	debug_printf(&dbg, "%s %d\n", (const char *)arg, crashing);
}

static void cb_print2(void *arg, bool crashing)
{
	(void)crashing;
	debug_printf(arg, "queue %d %s\n", 3, "ok");
}

static void callbacks_run_in_order_with_prefix(void **state)
{
	struct debug_callback *a, *b;

	(void)state;
	assert_int_equal(debug_register(&dbg, "xenvif|rx", cb_print, "one", &a), XEN_OK);
	assert_int_equal(debug_register(&dbg, "xenvbd", cb_print, "two", &b), XEN_OK);
	assert_int_equal(debug_count(&dbg), 2);
	assert_int_equal(debug_trigger(&dbg, NULL), XEN_OK);
	assert_string_equal(out,
			    "DEBUG: ====> xenvif|rx\n"
			    "xenvif|rx: one 0\n"
			    "DEBUG: <==== xenvif|rx\n"
			    "DEBUG: ====> xenvbd\n"
			    "xenvbd: two 0\n"
			    "DEBUG: <==== xenvbd\n");
	/* Callbacks run under the registry lock (HIGH_LEVEL upstream). */
	assert_int_equal(locks_in_callback, 1);
	out[0] = '\0';
	assert_int_equal(debug_trigger(&dbg, b), XEN_OK);
	assert_string_equal(out, "DEBUG: ====> xenvbd\nxenvbd: two 0\nDEBUG: <==== xenvbd\n");
	debug_deregister(&dbg, a);
	out[0] = '\0';
	assert_int_equal(debug_trigger(&dbg, a), -XEN_ENOENT);
	assert_string_equal(out, "");
	assert_int_equal(debug_fini(&dbg), -XEN_EBUSY);
	debug_deregister(&dbg, b);
	assert_int_equal(debug_count(&dbg), 0);
	/* After removing the tail, appending still works. */
	assert_int_equal(debug_register(&dbg, "c", cb_print, "three", &a), XEN_OK);
	out[0] = '\0';
	assert_int_equal(debug_trigger(&dbg, NULL), XEN_OK);
	assert_string_equal(out, "DEBUG: ====> c\nc: three 0\nDEBUG: <==== c\n");
	debug_deregister(&dbg, a);
}

static void prefix_is_truncated(void **state)
{
	struct debug_callback *a;
	char longp[64];

	(void)state;
	memset(longp, 'p', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(debug_register(&dbg, longp, cb_print, "x", &a), XEN_OK);
	assert_int_equal(debug_trigger(&dbg, a), XEN_OK);
	longp[DEBUG_PREFIX_MAX] = '\0';
	assert_non_null(strstr(out, longp));
	longp[DEBUG_PREFIX_MAX] = 'p';
	longp[DEBUG_PREFIX_MAX + 1] = '\0';
	assert_null(strstr(out, longp));
	debug_deregister(&dbg, a);
}

static void crash_path_runs_without_lock(void **state)
{
	struct debug_callback *a;

	(void)state;
	assert_int_equal(debug_register(&dbg, "x", cb_print, "boom", &a), XEN_OK);
	debug_crash(&dbg);
	assert_string_equal(out, "DEBUG: ====> x\nx: boom 1\nDEBUG: <==== x\n");
	assert_int_equal(locks_in_callback, 0);
	debug_deregister(&dbg, a);
}

static xen_status nested_status;
static void cb_nested(void *arg, bool crashing)
{
	(void)arg;
	(void)crashing;
	nested_status = debug_trigger(&dbg, NULL);
}

static void nested_trigger_is_refused(void **state)
{
	struct debug_callback *a;

	(void)state;
	assert_int_equal(debug_register(&dbg, "n", cb_nested, NULL, &a), XEN_OK);
	assert_int_equal(debug_trigger(&dbg, NULL), XEN_OK);
	assert_int_equal(nested_status, -XEN_EDEADLK);
	/* And the registry works afterwards. */
	assert_int_equal(debug_trigger(&dbg, a), XEN_OK);
	debug_deregister(&dbg, a);
}

static void printf_outside_callback_is_dropped(void **state)
{
	struct debug_callback *a, *bogus = (struct debug_callback *)&out[0];

	(void)state;
	debug_printf(&dbg, "stray %d\n", 1);
	assert_string_equal(out, "");
	assert_int_equal(debug_register(&dbg, NULL, cb_print, NULL, &a), -XEN_EINVAL);
	assert_int_equal(debug_register(&dbg, "p", NULL, NULL, &a), -XEN_EINVAL);
	host_alloc_fail(0, 1);
	assert_int_equal(debug_register(&dbg, "p", cb_print, NULL, &a), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	debug_deregister(&dbg, NULL);
	debug_deregister(&dbg, bogus);	/* not ours: left alone */
	assert_int_equal(debug_count(&dbg), 0);
}

static void log_output_adapter(void **state)
{
	struct debug d2;
	struct debug_callback *a;

	(void)state;
	log_capture_start(LOG_INFO);
	debug_init(&d2, debug_log_out, NULL);
	assert_int_equal(debug_register(&d2, "xenvif", cb_print2, &d2, &a), XEN_OK);
	assert_int_equal(debug_trigger(&d2, NULL), XEN_OK);
	assert_string_equal(log_captured.text,
			    "DEBUG: ====> xenvif\nxenvif: queue 3 ok\nDEBUG: <==== xenvif\n");
	assert_int_equal(log_captured.messages, 3);
	debug_deregister(&d2, a);
	assert_int_equal(debug_fini(&d2), XEN_OK);
	log_init();
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(callbacks_run_in_order_with_prefix),
		T(prefix_is_truncated),
		T(crash_path_runs_without_lock),
		T(nested_trigger_is_refused),
		T(printf_outside_callback_is_dropped),
		T(log_output_adapter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
