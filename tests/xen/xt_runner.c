/* The scenario runner of the test kernel (see xt.h). */
#include "xt.h"

extern const struct xt_scenario __start_xt_scenarios[];
extern const struct xt_scenario __stop_xt_scenarios[];

static const struct xt_scenario *xt_current;
static bool xt_current_failed;

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void xt_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (xt_current_failed)
		return;
	xt_current_failed = true;
	va_start(ap, fmt);
	guest_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	guest_printf("XT FAIL %s.%s: %s:%d: %s\n", xt_current ? xt_current->suite : "?",
		     xt_current ? xt_current->name : "?", file, line, msg);
}

bool xt_failed(void)
{
	return xt_current_failed;
}

void xt_note(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	guest_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	guest_printf("XT NOTE %s.%s: %s\n", xt_current ? xt_current->suite : "?",
		     xt_current ? xt_current->name : "?", msg);
}

int guest_run_scenarios(const char *suite)
{
	const struct xt_scenario *s;
	unsigned pass = 0, fail = 0;

	guest_printf("XT BEGIN %s\n", suite);
	for (s = __start_xt_scenarios; s < __stop_xt_scenarios; s++) {
		uint64_t t0;

		if (!str_eq(s->suite, suite))
			continue;
		xt_current = s;
		xt_current_failed = false;
		t0 = os_time_ns();
		s->fn();
		guest_run_work();
		if (xt_current_failed) {
			fail++;
		} else {
			pass++;
			guest_printf("XT PASS %s.%s (%lu ms)\n", s->suite, s->name,
				     (unsigned long)((os_time_ns() - t0) / 1000000));
		}
		xt_current = NULL;
	}
	if (pass + fail == 0) {
		guest_printf("XT FAIL %s: no such suite\n", suite);
		fail = 1;
	}
	guest_printf("XT END %s: %u passed, %u failed\n", suite, pass, fail);
	return (int)fail;
}
