/* Xen detection by CPUID and the XENVER_* version check. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "detect.h"
#include "hypercall.h"
#include "log.h"
#include "log_capture.h"
#include "sim.h"
#include "sim_version.h"

/* ---- a CPUID-only machine: anything but CPUID fails the test ---- */

#define MAX_LEAVES 16

static struct {
	uint32_t leaf[MAX_LEAVES];
	uint32_t regs[MAX_LEAVES][4];
	unsigned n;
	unsigned queries;
} cpu;

static void cpu_leaf(uint32_t leaf, uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	assert_true(cpu.n < MAX_LEAVES);
	cpu.leaf[cpu.n] = leaf;
	cpu.regs[cpu.n][0] = a;
	cpu.regs[cpu.n][1] = b;
	cpu.regs[cpu.n][2] = c;
	cpu.regs[cpu.n][3] = d;
	cpu.n++;
}

static uint32_t sig(const char *four)
{
	uint32_t v;

	memcpy(&v, four, 4);
	return v;
}

/* Xen's five leaves at base: signature, version, hypercall page, -, HVM. */
static void cpu_xen(uint32_t base, uint32_t max_leaf, uint32_t pages, uint32_t msr)
{
	cpu_leaf(base, max_leaf, sig("XenV"), sig("MMXe"), sig("nVMM"));
	cpu_leaf(base + 1, 4u << 16 | 17, 0, 0, 0);
	cpu_leaf(base + 2, pages, msr, 0, 0);
	cpu_leaf(base + 4, XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT, 0, 7, 0);
}

static void only_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	cpu.queries++;
	assert_true(leaf >= DETECT_FIRST_BASE && leaf <= DETECT_LAST_BASE + 0xff);
	for (unsigned i = 0; i < cpu.n; i++)
		if (cpu.leaf[i] == leaf) {
			memcpy(regs, cpu.regs[i], sizeof(cpu.regs[i]));
			return;
		}
	/* Like Intel: unknown leaves repeat the highest basic leaf (garbage). */
	regs[0] = 0x0d;
	regs[1] = sig("Genu");
	regs[2] = sig("ntel");
	regs[3] = sig("ineI");
}

static void no_wrmsr(uint32_t msr, uint64_t value)
{
	fail_msg("detect_xen wrote MSR %#x", msr);
}

static long no_hypercall(const void *entry, const uintptr_t args[5])
{
	fail_msg("detect_xen made a hypercall");
	return -XEN_ENOSYS;
}

static uint32_t no_port_in(uint16_t port, unsigned size)
{
	fail_msg("detect_xen read port %#x", port);
	return 0;
}

static void no_port_out(uint16_t port, unsigned size, uint32_t value)
{
	fail_msg("detect_xen wrote port %#x", port);
}

static const struct host_machine cpuid_machine = {
	.cpuid = only_cpuid,
	.wrmsr = no_wrmsr,
	.hypercall = no_hypercall,
	.port_in = no_port_in,
	.port_out = no_port_out,
};

static int cpu_setup(void **state)
{
	(void)state;
	memset(&cpu, 0, sizeof(cpu));
	host_reset();
	host_set_machine(&cpuid_machine);
	return 0;
}

static int cpu_teardown(void **state)
{
	(void)state;
	host_reset();
	return 0;
}

static void finds_xen_at_the_first_base(void **state)
{
	struct detect_info info;

	(void)state;
	cpu_xen(0x40000000, 0x40000005, 1, 0x40000000);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.base, 0x40000000);
	assert_int_equal(info.max_leaf, 0x40000005);
	assert_int_equal(info.major, 4);
	assert_int_equal(info.minor, 17);
	assert_int_equal(info.hypercall_pages, 1);
	assert_int_equal(info.hypercall_msr, 0x40000000);
	assert_int_equal(info.hvm_features, XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT);
}

static void finds_xen_behind_viridian(void **state)
{
	struct detect_info info;

	(void)state;
	cpu_leaf(0x40000000, 0x40000006, sig("Micr"), sig("osof"), sig("t Hv"));
	cpu_leaf(0x40000001, sig("Hv#1"), 0, 0, 0);
	cpu_xen(0x40000100, 0x40000105, 1, 0x40000200);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.base, 0x40000100);
	assert_int_equal(info.max_leaf, 0x40000105);
	assert_int_equal(info.hypercall_msr, 0x40000200);
	assert_int_equal(info.hvm_features, XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT);
}

static void finds_xen_at_the_last_base_only(void **state)
{
	struct detect_info info;

	(void)state;
	cpu_xen(0x4000ff00, 0x4000ff02, 1, 0x40000000);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.base, 0x4000ff00);
	assert_int_equal(info.hvm_features, 0);	/* base + 4 is past max leaf */
	assert_int_equal(cpu.queries, 256 + 2);
}

static void no_xen_is_enodev(void **state)
{
	struct detect_info info;

	(void)state;
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(detect_xen(&info), -XEN_ENODEV);
	assert_int_equal(info.base, 0);
	assert_int_equal(info.major, 0);
	assert_int_equal(cpu.queries, 256);
	/* A near-miss signature is not Xen. */
	cpu_leaf(0x40000000, 0x40000004, sig("XenV"), sig("MMXe"), sig("nVMX"));
	assert_int_equal(detect_xen(&info), -XEN_ENODEV);
	/* KVM is not Xen. */
	cpu.n = 0;
	cpu_leaf(0x40000000, 0x40000001, sig("KVMK"), sig("VMKV"), sig("M\0\0\0"));
	assert_int_equal(detect_xen(&info), -XEN_ENODEV);
}

static void unusable_xen_leaves_are_enxio(void **state)
{
	struct detect_info info;

	(void)state;
	/* max leaf too small: no hypercall leaf */
	cpu_xen(0x40000000, 0x40000001, 1, 0x40000000);
	memset(&info, 0xa5, sizeof(info));
	assert_int_equal(detect_xen(&info), -XEN_ENXIO);
	assert_int_equal(info.base, 0);
	assert_int_equal(info.hypercall_msr, 0);
	/* max leaf below base (wrapped garbage) */
	cpu.n = 0;
	cpu_xen(0x40000000, 0x3fffffff, 1, 0x40000000);
	assert_int_equal(detect_xen(&info), -XEN_ENXIO);
	/* no hypercall page, or no MSR for it */
	cpu.n = 0;
	cpu_xen(0x40000000, 0x40000004, 0, 0x40000000);
	assert_int_equal(detect_xen(&info), -XEN_ENXIO);
	cpu.n = 0;
	cpu_xen(0x40000000, 0x40000004, 1, 0);
	assert_int_equal(detect_xen(&info), -XEN_ENXIO);
}

static void a_later_usable_xen_wins_over_a_broken_one(void **state)
{
	struct detect_info info;

	(void)state;
	cpu_xen(0x40000000, 0x40000001, 1, 0x40000000);
	cpu_xen(0x40000200, 0x40000203, 1, 0x40000300);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.base, 0x40000200);
	assert_int_equal(info.hypercall_msr, 0x40000300);
	assert_int_equal(info.hvm_features, 0);
}

static void a_huge_max_leaf_is_clamped(void **state)
{
	struct detect_info info;

	(void)state;
	cpu_xen(0x40000000, 0xffffffff, 1, 0x40000000);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.max_leaf, 0x400000ff);
	assert_int_equal(info.hvm_features, XEN_HVM_CPUID_VCPU_ID_PRESENT | XEN_HVM_CPUID_DOMID_PRESENT);
}

static void no_machine_means_no_xen(void **state)
{
	struct detect_info info;

	(void)state;
	host_set_machine(NULL);
	assert_int_equal(detect_xen(&info), -XEN_ENODEV);
}

/* ---- against the hypervisor model ---- */

static struct detect_info sim_info;

static void sim_start(const struct sim_config *cfg)
{
	sim_init(cfg);
	sim_version_init();
	log_capture_start(LOG_INFO | LOG_WARNING | LOG_ERROR);
	assert_int_equal(detect_xen(&sim_info), XEN_OK);
	assert_int_equal(hypercall_init(sim_info.hypercall_msr), XEN_OK);
}

static int sim_setup(void **state)
{
	(void)state;
	sim_start(NULL);
	return 0;
}

static int sim_teardown(void **state)
{
	(void)state;
	hypercall_fini();
	log_init();
	sim_fini();
	return 0;
}

static void sim_detects_both_bases(void **state)
{
	struct sim_config cfg = { .vcpus = 1, .cpuid_base = 0x40000100, .xen_major = 4,
				  .xen_minor = 18, .domid = 3 };
	struct detect_info info;

	(void)state;
	assert_int_equal(sim_info.base, 0x40000000);
	assert_int_equal(sim_info.major, 4);
	assert_int_equal(sim_info.minor, 17);
	hypercall_fini();
	sim_init(&cfg);
	assert_int_equal(detect_xen(&info), XEN_OK);
	assert_int_equal(info.base, 0x40000100);
	assert_int_equal(info.minor, 18);
	cfg.no_xen = true;
	sim_init(&cfg);
	assert_int_equal(detect_xen(&info), -XEN_ENODEV);
}

static void version_check_reads_and_logs(void **state)
{
	struct detect_version v;

	(void)state;
	assert_int_equal(detect_version_check(&sim_info, &v), XEN_OK);
	assert_int_equal(v.major, 4);
	assert_int_equal(v.minor, 17);
	assert_string_equal(v.extra, ".0");
	assert_false(v.cpuid_mismatch);
	assert_true(detect_has_feature(&v, XENFEAT_hvm_callback_vector));
	assert_true(detect_has_feature(&v, XENFEAT_auto_translated_physmap));
	assert_false(detect_has_feature(&v, XENFEAT_dom0));
	assert_false(detect_has_feature(&v, 32));
	assert_false(detect_has_feature(&v, 1000));
	assert_non_null(strstr(log_captured.text, "XEN 4.17.0"));
	assert_int_equal(sim_calls(__HYPERVISOR_xen_version, XENVER_version), 1);
	assert_int_equal(sim_calls(__HYPERVISOR_xen_version, XENVER_extraversion), 1);
	assert_int_equal(sim_calls(__HYPERVISOR_xen_version, XENVER_get_features), 1);
}

static void version_check_needs_the_hypercall_page(void **state)
{
	struct detect_version v;

	(void)state;
	hypercall_fini();
	assert_int_equal(detect_version_check(&sim_info, &v), -XEN_ENOSYS);
	assert_non_null(strstr(log_captured.text, "XENVER_version failed: ENOSYS"));
}

static void version_check_reports_each_failing_call(void **state)
{
	static const struct {
		long cmd;
		int err;
		const char *msg;
	} faults[] = {
		{ XENVER_version, XEN_EPERM, "XENVER_version failed: EPERM" },
		{ XENVER_extraversion, XEN_EFAULT, "XENVER_extraversion failed: EFAULT" },
		{ XENVER_get_features, XEN_EINVAL, "XENVER_get_features failed: EINVAL" },
		{ XENVER_get_features, XEN_EAGAIN, "XENVER_get_features failed: EAGAIN" },
	};
	struct detect_version v;

	(void)state;
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		log_capture_clear(&log_captured);
		sim_fail(__HYPERVISOR_xen_version, faults[i].cmd, faults[i].err, 0, 1);
		memset(&v, 0xa5, sizeof(v));
		assert_int_equal(detect_version_check(&sim_info, &v), -faults[i].err);
		assert_int_equal(v.major, 0);
		assert_int_equal(v.extra[0], '\0');
		assert_non_null(strstr(log_captured.text, faults[i].msg));
		/* The fault was one-shot: the next check passes. */
		assert_int_equal(detect_version_check(&sim_info, &v), XEN_OK);
	}
}

static void odd_version_answers_are_validated(void **state)
{
	struct sim_version *sv = sim_version();
	struct detect_version v;

	(void)state;
	/* Not NUL-terminated in its 16 bytes, with control bytes. */
	memcpy(sv->extra, "-rc\x01\x7f" "0123456789ABCDEF", 16);
	assert_int_equal(detect_version_check(&sim_info, &v), XEN_OK);
	assert_int_equal(strlen(v.extra), XEN_EXTRAVERSION_LEN - 1);
	assert_string_equal(v.extra, "-rc??0123456789");
	/* A version differing from CPUID's: flagged and log_captured.text, not fatal. */
	sv->major = 4;
	sv->minor = 16;
	log_capture_clear(&log_captured);
	assert_int_equal(detect_version_check(&sim_info, &v), XEN_OK);
	assert_true(v.cpuid_mismatch);
	assert_int_equal(v.minor, 16);
	assert_non_null(strstr(log_captured.text, "XENVER_version 4.16, CPUID 4.17"));
	/* A negative result that is no Xen errno. */
	sv->use_raw_version = true;
	sv->raw_version = -100000;
	assert_int_equal(detect_version_check(&sim_info, &v), -XEN_EIO);
	sv->raw_version = -200;	/* inside errno range, but not a Xen errno */
	assert_int_equal(detect_version_check(&sim_info, &v), -XEN_EIO);
	if (sizeof(long) > 4) {
		sv->raw_version = (long)(0x1ULL << 40);
		assert_int_equal(detect_version_check(&sim_info, &v), -XEN_EIO);
	}
	sv->raw_version = 0x00050001;
	assert_int_equal(detect_version_check(&sim_info, &v), XEN_OK);
	assert_int_equal(v.major, 5);
	assert_int_equal(v.minor, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(finds_xen_at_the_first_base, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(finds_xen_behind_viridian, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(finds_xen_at_the_last_base_only, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(no_xen_is_enodev, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(unusable_xen_leaves_are_enxio, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(a_later_usable_xen_wins_over_a_broken_one, cpu_setup,
						cpu_teardown),
		cmocka_unit_test_setup_teardown(a_huge_max_leaf_is_clamped, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(no_machine_means_no_xen, cpu_setup, cpu_teardown),
		cmocka_unit_test_setup_teardown(sim_detects_both_bases, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(version_check_reads_and_logs, sim_setup, sim_teardown),
		cmocka_unit_test_setup_teardown(version_check_needs_the_hypercall_page, sim_setup,
						sim_teardown),
		cmocka_unit_test_setup_teardown(version_check_reports_each_failing_call, sim_setup,
						sim_teardown),
		cmocka_unit_test_setup_teardown(odd_version_answers_are_validated, sim_setup,
						sim_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
