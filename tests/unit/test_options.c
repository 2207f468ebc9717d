/* System start option parsing (interfaces.md section 5), table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "log.h"
#include "log_capture.h"
#include "options.h"
#include "sim.h"

static int setup(void **state)
{
	(void)state;
	sim_init(NULL);
	log_capture_start(LOG_WARNING);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_init();
	sim_fini();
	return 0;
}

enum { D = 2 };	/* "default" in the table below */

struct option_case {
	const char *cmdline;
	int dbg_print, boot_emulated, balloon;	/* 0, 1 or D */
	long watchdog;	/* -1: default (0) */
	unsigned nwarnings;
	const char *warning;	/* substring expected in the log, or NULL */
};

static const struct option_case cases[] = {
	/* nothing, or nothing of ours */
	{ "", D, D, D, -1, 0, NULL },
	{ "   \t  ", D, D, D, -1, 0, NULL },
	{ " NOEXECUTE=OPTIN FASTDETECT", D, D, D, -1, 0, NULL },
	/* DBG_PRINT */
	{ " XEN:DBG_PRINT=OFF", 0, D, D, -1, 0, NULL },
	{ "XEN:DBG_PRINT=ON", 1, D, D, -1, 0, NULL },
	{ "XEN:DBG_PRINT=off", 1, D, D, -1, 1, "bad value, default kept: \"XEN:DBG_PRINT=off\"" },
	{ "XEN:DBG_PRINT=", 1, D, D, -1, 1, "bad value" },
	{ "XEN:DBG_PRINT=OFFX", 1, D, D, -1, 1, "bad value" },
	{ "XEN:DBG_PRINT=OF", 1, D, D, -1, 1, "bad value" },
	{ "XEN:DBG_PRINT", D, D, D, -1, 1, "unknown option" },
	{ "xen:dbg_print=OFF", D, D, D, -1, 0, NULL },	/* keys are case-sensitive */
	{ "/XEN:DBG_PRINT=OFF", D, D, D, -1, 0, NULL },	/* must begin the token */
	{ "XEN:DBG_PRINT=OFF XEN:DBG_PRINT=ON", 0, D, D, -1, 1, "repeated option ignored" },
	{ "XEN:DBG_PRINT=junk XEN:DBG_PRINT=OFF", 1, D, D, -1, 2, "repeated" },
	/* BOOT_EMULATED */
	{ "XEN:BOOT_EMULATED=TRUE", D, 1, D, -1, 0, NULL },
	{ "XEN:BOOT_EMULATED=FALSE", D, 0, D, -1, 0, NULL },
	{ "XEN:BOOT_EMULATED=true", D, 0, D, -1, 1, "bad value" },
	{ "XEN:BOOT_EMULATED=1", D, 0, D, -1, 1, "bad value" },
	{ "XEN:BOOT_EMULATED=", D, 0, D, -1, 1, "bad value" },
	{ "XEN:BOOT_EMULATED=TRUE XEN:BOOT_EMULATED=FALSE", D, 1, D, -1, 1, "repeated" },
	/* BALLOON */
	{ "XEN:BALLOON=OFF", D, D, 0, -1, 0, NULL },
	{ "XEN:BALLOON=ON", D, D, 1, -1, 0, NULL },
	{ "XEN:BALLOON=NO", D, D, 1, -1, 1, "bad value" },
	{ "XEN:BALLOON=", D, D, 1, -1, 1, "bad value" },
	{ "XEN:BALLOON=OFF XEN:BALLOON=ON XEN:BALLOON=ON", D, D, 0, -1, 2, "repeated" },
	/* WATCHDOG */
	{ "XEN:WATCHDOG=0", D, D, D, 0, 0, NULL },
	{ "XEN:WATCHDOG=1", D, D, D, 10, 1, "minimum" },
	{ "XEN:WATCHDOG=9", D, D, D, 10, 1, "minimum" },
	{ "XEN:WATCHDOG=10", D, D, D, 10, 0, NULL },
	{ "XEN:WATCHDOG=30", D, D, D, 30, 0, NULL },
	{ "XEN:WATCHDOG=0x1e", D, D, D, 30, 0, NULL },
	{ "XEN:WATCHDOG=0X1E", D, D, D, 30, 0, NULL },
	{ "XEN:WATCHDOG=010", D, D, D, 10, 1, "minimum" },	/* octal 8 */
	{ "XEN:WATCHDOG=036", D, D, D, 30, 0, NULL },
	{ "XEN:WATCHDOG=+45", D, D, D, 45, 0, NULL },
	{ "XEN:WATCHDOG=4294967295", D, D, D, 4294967295L, 0, NULL },
	{ "XEN:WATCHDOG=0xffffffff", D, D, D, 4294967295L, 0, NULL },
	{ "XEN:WATCHDOG=4294967296", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=0x100000000", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=99999999999999999999999", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=-1", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=abc", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=12abc", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=0x", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=08", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=+", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=0x1g", D, D, D, -1, 1, "not a number" },
	{ "XEN:WATCHDOG=60 XEN:WATCHDOG=20", D, D, D, 60, 1, "repeated" },
	{ "XEN:WATCHDOG=bad XEN:WATCHDOG=20", D, D, D, -1, 2, "repeated" },
	/* together, with other options and odd spacing */
	{ " XEN:DBG_PRINT=OFF XEN:WATCHDOG=30 NOEXECUTE=OPTIN", 0, D, D, 30, 0, NULL },
	{ "\tXEN:BALLOON=OFF\t\tXEN:BOOT_EMULATED=TRUE\r\nXEN:DBG_PRINT=OFF  XEN:WATCHDOG=0x3c ",
	  0, 1, 0, 60, 0, NULL },
	{ "XEN:FOO=1 XEN:WATCHDOG=20", D, D, D, 20, 1, "unknown option ignored: \"XEN:FOO=1\"" },
	/* control bytes are not echoed into the log */
	{ "XEN:BALLOON=\x1b[2J", D, D, 1, -1, 1, "\"XEN:BALLOON=?[2J\"" },
};

static void check_case(const struct option_case *c, const struct options *o)
{
	if (c->dbg_print != D)
		assert_int_equal(o->dbg_print, c->dbg_print);
	else
		assert_true(o->dbg_print);
	if (c->boot_emulated != D)
		assert_int_equal(o->boot_emulated, c->boot_emulated);
	else
		assert_false(o->boot_emulated);
	if (c->balloon != D)
		assert_int_equal(o->balloon, c->balloon);
	else
		assert_true(o->balloon);
	assert_int_equal(o->watchdog_s, c->watchdog < 0 ? 0 : (uint32_t)c->watchdog);
	assert_int_equal(log_captured.messages, c->nwarnings);
	assert_int_equal(log_captured.non_printable, 0);
	if (c->warning && !strstr(log_captured.text, c->warning)) {
		print_error("expected \"%s\" in the log:\n%s", c->warning, log_captured.text);
		fail();
	}
}

static void option_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct option_case *c = &cases[i];
		size_t len = strlen(c->cmdline);
		/* An exact-size heap copy: ASan sees any read past len. */
		char *copy = malloc(len ? len : 1);
		struct options o;

		assert_non_null(copy);
		memcpy(copy, c->cmdline, len);
		log_capture_clear(&log_captured);
		memset(&o, 0xa5, sizeof(o));
		print_message("case %zu: \"%s\"\n", i, c->cmdline);
		options_parse(copy, len, &o);
		check_case(c, &o);
		free(copy);
	}
}

static void defaults_without_a_command_line(void **state)
{
	struct options o, d;

	(void)state;
	memset(&o, 0xa5, sizeof(o));
	options_parse(NULL, 100, &o);
	options_defaults(&d);
	assert_true(o.dbg_print && !o.boot_emulated && o.balloon && o.watchdog_s == 0);
	assert_int_equal(o.dbg_print, d.dbg_print);
	assert_int_equal(o.boot_emulated, d.boot_emulated);
	assert_int_equal(o.balloon, d.balloon);
	assert_int_equal(o.watchdog_s, d.watchdog_s);
	assert_int_equal(log_captured.messages, 0);
}

static void length_bounds_the_input(void **state)
{
	/* Not NUL-terminated: only the first len bytes count, even mid-token. */
	static const char text[] = "XEN:BALLOON=OFF XEN:WATCHDOG=300";
	struct options o;

	(void)state;
	options_parse(text, strlen("XEN:BALLOON=OFF XEN:WATCHDOG=3"), &o);
	assert_false(o.balloon);
	assert_int_equal(o.watchdog_s, 10);
	options_parse(text, strlen("XEN:BALLOON=OF"), &o);
	assert_true(o.balloon);
	options_parse(text, 0, &o);
	assert_true(o.balloon);
	/* An embedded NUL ends the string, as in a REG_SZ. */
	options_parse("XEN:BALLOON=OFF\0XEN:WATCHDOG=30", 31, &o);
	assert_false(o.balloon);
	assert_int_equal(o.watchdog_s, 0);
}

static void huge_command_lines_are_handled(void **state)
{
	const size_t len = 4 * 1024 * 1024;
	char *big = malloc(len);
	const char *tail = " XEN:WATCHDOG=45 XEN:BALLOON=OFF";
	struct options o;
	size_t i;

	(void)state;
	assert_non_null(big);
	/* Millions of bad repeats: a bounded number of warnings, the first wins. */
	for (i = 0; i + 16 <= len - strlen(tail); i += 16)
		memcpy(big + i, "XEN:BALLOON=XX  ", 16);
	memset(big + i, ' ', len - strlen(tail) - i);
	memcpy(big + len - strlen(tail), tail, strlen(tail));
	options_parse(big, len, &o);
	assert_true(o.balloon);
	assert_int_equal(o.watchdog_s, 45);
	assert_int_equal(log_captured.messages, OPTIONS_MAX_WARNINGS);
	assert_non_null(strstr(log_captured.text, "not reporting more"));
	/* One enormous token. */
	memset(big, 'A', len);
	memcpy(big, "XEN:WATCHDOG=", 13);
	log_capture_clear(&log_captured);
	options_parse(big, len, &o);
	assert_int_equal(o.watchdog_s, 0);
	assert_int_equal(log_captured.messages, 1);
	assert_non_null(strstr(log_captured.text, "AAAA...\""));
	free(big);
}

static void warnings_are_not_needed_to_parse(void **state)
{
	struct options o;

	(void)state;
	log_init();	/* no sinks at all */
	options_parse("XEN:WATCHDOG=bad XEN:DBG_PRINT=OFF", 34, &o);
	assert_false(o.dbg_print);
	assert_int_equal(o.watchdog_s, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(option_table, setup, teardown),
		cmocka_unit_test_setup_teardown(defaults_without_a_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(length_bounds_the_input, setup, teardown),
		cmocka_unit_test_setup_teardown(huge_command_lines_are_handled, setup, teardown),
		cmocka_unit_test_setup_teardown(warnings_are_not_needed_to_parse, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
