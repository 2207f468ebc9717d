/* Level masks from XenLogLevel / QemuLogLevel multi-strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "log.h"
#include "log_levels.h"

#define MSZ(s) (s), sizeof(s)	/* the literal's own NUL ends the list */

static void names_give_their_bits(void **state)
{
	unsigned bad = 99;

	(void)state;
	assert_int_equal(log_levels_parse(MSZ("CRITICAL\0"), &bad), LOG_CRITICAL);
	assert_int_equal(bad, 0);
	assert_int_equal(log_levels_parse(MSZ("INFO\0WARNING\0ERROR\0CRITICAL\0"), &bad),
			 LOG_INFO | LOG_WARNING | LOG_ERROR | LOG_CRITICAL);
	assert_int_equal(log_levels_parse(MSZ("TRACE\0TRACE\0"), NULL), LOG_TRACE);
}

static void unknown_and_wrong_case_are_skipped(void **state)
{
	unsigned bad;

	(void)state;
	assert_int_equal(log_levels_parse(MSZ("info\0ERROR\0ERR\0ERRORS\0"), &bad), LOG_ERROR);
	assert_int_equal(bad, 3);
}

static void empty_and_bounded(void **state)
{
	unsigned bad;

	(void)state;
	assert_int_equal(log_levels_parse(NULL, 10, &bad), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(log_levels_parse(MSZ("\0INFO\0"), &bad), 0);	/* empty string ends it */
	/* No terminator inside len: the last name is cut at len, "INF" is unknown. */
	assert_int_equal(log_levels_parse("ERROR\0INFO", 9, &bad), LOG_ERROR);
	assert_int_equal(bad, 1);
	assert_int_equal(log_levels_parse("WARNING", 7, &bad), LOG_WARNING);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_give_their_bits),
		cmocka_unit_test(unknown_and_wrong_case_are_skipped),
		cmocka_unit_test(empty_and_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
