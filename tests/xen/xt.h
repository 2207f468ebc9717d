/*
 * Scenarios run by the PVH test kernel on the real hypervisor. Each
 * XT_SCENARIO(suite, name) registers a function in the "xt_scenarios"
 * section; the kernel runs every scenario of the suite named by "suite=" on
 * its command line, in link order, and reports on port 0xE9:
 *   XT BEGIN <suite>
 *   XT PASS <suite>.<name> (<ms> ms)  |  XT FAIL <suite>.<name>: <why>
 *   XT END <suite>: N passed, M failed
 * The dom0 driver script (tests/xen/dom0/run.sh) and tests/stages/50-xen.sh
 * count these lines.
 */
#ifndef XB_XT_H
#define XB_XT_H

#include "compiler.h"
#include "guest.h"
#include "hypercall.h"
#include "status.h"
#include "xen_abi.h"

struct xt_scenario {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define XT_SCENARIO(suite_, name_) \
	static void xt_##suite_##_##name_(void); \
	static const struct xt_scenario xt_reg_##suite_##_##name_ \
		__attribute__((used, section("xt_scenarios"), aligned(8))) = { \
			#suite_, #name_, xt_##suite_##_##name_ }; \
	static void xt_##suite_##_##name_(void)

/* Record a failure of the running scenario (first message is reported). */
void xt_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* True once the running scenario has failed. */
bool xt_failed(void);
/* A "key: value" detail line under the running scenario. */
void xt_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Check a condition; on failure record it and leave the scenario. */
#define XT_CHECK(cond) \
	do { \
		if (!(cond)) { \
			xt_fail(__FILE__, __LINE__, "%s", #cond); \
			return; \
		} \
	} while (0)
/* Check that a xen_status / hypercall result is success (>= 0). */
#define XT_CHECK_OK(expr) \
	do { \
		long xt_rc_ = (long)(expr); \
		if (xt_rc_ < 0) { \
			xt_fail(__FILE__, __LINE__, "%s = %ld", #expr, xt_rc_); \
			return; \
		} \
	} while (0)
/* Check an exact status. */
#define XT_CHECK_EQ(expr, want) \
	do { \
		long xt_v_ = (long)(expr), xt_w_ = (long)(want); \
		if (xt_v_ != xt_w_) { \
			xt_fail(__FILE__, __LINE__, "%s = %ld, want %ld", #expr, xt_v_, xt_w_); \
			return; \
		} \
	} while (0)

#endif /* XB_XT_H */
