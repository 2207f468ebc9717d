/* control/shutdown handling with a fake store, and crash reporting to the
 * scheduler model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "log.h"
#include "log_capture.h"
#include "sim.h"
#include "sim_sched.h"
#include "hypercall.h"
#include "shutdown.h"

static struct fake {
	bool present;
	char value[128];
	size_t len;
	xen_status read_error, write_error;
	unsigned reads, writes, suspends, unlocks;
	bool busy;
	bool take_report;
	enum shutdown_action reported;
	char order[64];		/* "w" write, "s" suspend, "u" unlock */
} f;

static void set_value(const char *v, size_t len)
{
	memset(&f, 0, sizeof(f));
	f.present = true;
	memcpy(f.value, v, len);
	f.len = len;
}

static xen_status f_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	assert_ptr_equal(ctx, &f);
	assert_string_equal(node, "control/shutdown");
	f.reads++;
	if (f.read_error)
		return f.read_error;
	if (!f.present)
		return -XEN_ENOENT;
	memcpy(buf, f.value, f.len < size ? f.len : size);
	*len = f.len;
	return XEN_OK;
}

static xen_status f_write(void *ctx, const char *node, const char *value)
{
	(void)ctx;
	assert_string_equal(node, "control/shutdown");
	f.writes++;
	strcat(f.order, "w");
	if (f.write_error)
		return f.write_error;
	f.len = strlen(value);
	memcpy(f.value, value, f.len);
	return XEN_OK;
}

static bool f_trylock(void *ctx)
{
	(void)ctx;
	return !f.busy;
}

static void f_unlock(void *ctx)
{
	(void)ctx;
	f.unlocks++;
	strcat(f.order, "u");
}

static xen_status f_suspend(void *ctx)
{
	(void)ctx;
	f.suspends++;
	strcat(f.order, "s");
	return XEN_OK;
}

static bool f_report(void *ctx, enum shutdown_action a)
{
	(void)ctx;
	f.reported = a;
	return f.take_report;
}

static const struct shutdown_ops ops = {
	&f, f_read, f_write, f_trylock, f_unlock, f_suspend, f_report,
};

#define L(s) s, sizeof(s) - 1

static void parse_table(void **state)
{
	static const struct {
		const char *v;
		size_t len;
		enum shutdown_action a;
	} rows[] = {
		{ L(""), SHUTDOWN_ACTION_NONE },
		{ L("suspend"), SHUTDOWN_ACTION_SUSPEND },
		{ L("poweroff"), SHUTDOWN_ACTION_POWEROFF },
		{ L("reboot"), SHUTDOWN_ACTION_REBOOT },
		{ L("halt"), SHUTDOWN_ACTION_HALT },
		{ L("s3"), SHUTDOWN_ACTION_UNKNOWN },
		{ L("crash"), SHUTDOWN_ACTION_UNKNOWN },
		{ L("Suspend"), SHUTDOWN_ACTION_UNKNOWN },
		{ L("suspendx"), SHUTDOWN_ACTION_UNKNOWN },
		{ L("suspen"), SHUTDOWN_ACTION_UNKNOWN },
		{ L("suspend\n"), SHUTDOWN_ACTION_INVALID },
		{ L("suspend\0"), SHUTDOWN_ACTION_INVALID },
		{ L("sus pend"), SHUTDOWN_ACTION_INVALID },
		{ L("\xffhalt"), SHUTDOWN_ACTION_INVALID },
		{ L("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), SHUTDOWN_ACTION_INVALID }, /* 33 */
		{ L("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), SHUTDOWN_ACTION_UNKNOWN }, /* 32 */
		{ NULL, 4, SHUTDOWN_ACTION_INVALID },
		{ NULL, 0, SHUTDOWN_ACTION_NONE },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(shutdown_parse(rows[i].v, rows[i].len), rows[i].a);
	/* Length-bounded: the bytes after len are not looked at. */
	assert_int_equal(shutdown_parse("haltXYZ", 4), SHUTDOWN_ACTION_HALT);
	assert_string_equal(shutdown_action_name(SHUTDOWN_ACTION_SUSPEND), "SUSPEND");
	assert_string_equal(shutdown_action_name(SHUTDOWN_ACTION_INVALID), "INVALID");
	assert_string_equal(shutdown_action_name((enum shutdown_action)99), "?");
}

static void suspend_is_acknowledged_then_done(void **state)
{
	enum shutdown_action seen;

	(void)state;
	set_value(L("suspend"));
	log_capture_start(LOG_INFO | LOG_WARNING);
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_SUSPEND);
	assert_string_equal(log_captured.text, "SHUTDOWN: SUSPEND (7 bytes)\n");
	assert_string_equal(f.order, "wsu");
	assert_int_equal(f.len, 0);
	/* The watch fires again for our own write: nothing more happens. */
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_NONE);
	assert_int_equal(f.suspends, 1);
	assert_int_equal(f.writes, 1);
	assert_int_equal(log_captured.messages, 1);	/* "" is not logged */
	log_init();
}

static void suspend_waits_for_balloon(void **state)
{
	(void)state;
	set_value(L("suspend"));
	f.busy = true;
	assert_int_equal(shutdown_handle(&ops, NULL), -XEN_EAGAIN);
	assert_int_equal(f.writes, 0);
	assert_int_equal(f.suspends, 0);
	assert_int_equal(f.unlocks, 0);
	f.busy = false;
	assert_int_equal(shutdown_handle(&ops, NULL), XEN_OK);
	assert_int_equal(f.suspends, 1);
}

static void failed_ack_means_no_suspend(void **state)
{
	(void)state;
	set_value(L("suspend"));
	f.write_error = -XEN_EACCES;
	assert_int_equal(shutdown_handle(&ops, NULL), -XEN_EACCES);
	assert_int_equal(f.suspends, 0);
	assert_int_equal(f.unlocks, 1);
}

static void power_requests_go_to_the_os(void **state)
{
	enum shutdown_action seen;

	(void)state;
	set_value(L("reboot"));
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_REBOOT);
	assert_int_equal(f.reported, SHUTDOWN_ACTION_REBOOT);
	assert_int_equal(f.writes, 0);	/* not taken: left for the agent */
	set_value(L("poweroff"));
	f.take_report = true;
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(f.reported, SHUTDOWN_ACTION_POWEROFF);
	assert_int_equal(f.writes, 1);
	assert_int_equal(f.len, 0);
	assert_int_equal(f.suspends, 0);
	set_value(L("halt"));
	f.take_report = true;
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(f.reported, SHUTDOWN_ACTION_HALT);
}

static void junk_is_ignored(void **state)
{
	enum shutdown_action seen;
	char big[100];

	(void)state;
	set_value(L("s3"));
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_UNKNOWN);
	memset(big, 's', sizeof(big));
	memcpy(big, "suspend", 7);
	set_value(big, sizeof(big));	/* longer than the read buffer */
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_INVALID);
	set_value(L("suspend\0\0"));
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_INVALID);
	assert_int_equal(f.writes + f.suspends, 0);
	/* Absent node, read failure, missing callbacks. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(shutdown_handle(&ops, &seen), XEN_OK);
	assert_int_equal(seen, SHUTDOWN_ACTION_NONE);
	f.read_error = -XEN_EIO;
	assert_int_equal(shutdown_handle(&ops, &seen), -XEN_EIO);
	assert_int_equal(shutdown_handle(NULL, &seen), -XEN_EINVAL);
}

static void crash_is_latched_with_xen(void **state)
{
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	sim_sched_init();
	assert_int_equal(shutdown_report_crash(), -XEN_ENOSYS);	/* no page yet */
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(shutdown_report_crash(), XEN_OK);
	assert_int_equal(sim_sched_latched_code(), SHUTDOWN_crash);
	assert_int_equal(sim_sched_shutdowns(), 0);	/* latched, not stopped */
	/* A later reboot is reported to the toolstack as the crash. */
	assert_int_equal(shutdown_domain(SHUTDOWN_reboot), XEN_OK);
	assert_int_equal(sim_sched_last_shutdown(), SHUTDOWN_crash);
	assert_int_equal(shutdown_domain(SHUTDOWN_poweroff), XEN_OK);
	assert_int_equal(sim_sched_last_shutdown(), SHUTDOWN_poweroff);
	assert_int_equal(shutdown_domain(SHUTDOWN_crash), XEN_OK);
	assert_int_equal(sim_sched_last_shutdown(), SHUTDOWN_crash);
	assert_int_equal(shutdown_domain(SHUTDOWN_suspend), -XEN_EINVAL);
	assert_int_equal(shutdown_domain(SHUTDOWN_MAX + 1), -XEN_EINVAL);
	assert_int_equal(sim_sched_shutdowns(), 3);
	sim_fail(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code, XEN_EPERM, 0, 1);
	assert_int_equal(shutdown_report_crash(), -XEN_EPERM);
	hypercall_fini();
	sim_fini();
}

/* A result below Xen's errno range, as a broken or hostile hypervisor could
 * return: its low 32 bits are 0, so a plain cast to xen_status reads success. */
static long wide_error(const uintptr_t args[5])
{
	(void)args;
	return (long)(-(1LL << 32));
}

static long unknown_errno(const uintptr_t args[5])
{
	(void)args;
	return -4000;
}

static void out_of_range_results_are_errors(void **state)
{
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	sim_sched_init();
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_int_equal(hypercall_status(0), XEN_OK);
	assert_int_equal(hypercall_status(7), XEN_OK);
	assert_int_equal(hypercall_status(-XEN_EAGAIN), -XEN_EAGAIN);
	assert_int_equal(hypercall_status(-4000), -XEN_EIO);
	if (sizeof(long) > 4) {
		sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_shutdown, wide_error);
		assert_int_equal(shutdown_domain(SHUTDOWN_poweroff), -XEN_EIO);
		sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code, wide_error);
		assert_int_equal(shutdown_report_crash(), -XEN_EIO);
	}
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_shutdown, unknown_errno);
	assert_int_equal(shutdown_domain(SHUTDOWN_poweroff), -XEN_EIO);
	hypercall_fini();
	sim_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_table),
		cmocka_unit_test(suspend_is_acknowledged_then_done),
		cmocka_unit_test(suspend_waits_for_balloon),
		cmocka_unit_test(failed_ack_means_no_suspend),
		cmocka_unit_test(power_requests_go_to_the_os),
		cmocka_unit_test(junk_is_ignored),
		cmocka_unit_test(crash_is_latched_with_xen),
		cmocka_unit_test(out_of_range_results_are_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
