/* Status names and the host/sim plumbing every other test relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"
#include "status.h"
#include "hypercall.h"
#include "store_error.h"

static void status_names_come_from_xen_errno(void **state)
{
	(void)state;
	assert_string_equal(status_name(XEN_OK), "OK");
	assert_string_equal(status_name(-XEN_EINVAL), "EINVAL");
	assert_string_equal(status_name(-XEN_ENOSYS), "ENOSYS");
	assert_string_equal(status_name(-XEN_EAGAIN), "EAGAIN");
	assert_string_equal(status_name(-XEN_EDEADLK), "EDEADLK");
	assert_string_equal(status_name(-9999), "E?");
	assert_string_equal(status_name(5), "E?");
	assert_true(status_is_xen_errno(-XEN_EINVAL));
	assert_true(status_is_xen_errno(-XEN_EDEADLK));
	assert_false(status_is_xen_errno(XEN_OK));
	assert_false(status_is_xen_errno(XEN_EINVAL));
	assert_false(status_is_xen_errno(-9999));
	assert_false(status_is_xen_errno(STORE_EQUOTA));	/* core-private */
}

static long fake_handler(const uintptr_t args[5])
{
	return (long)(args[0] + args[4]);
}

static void sim_dispatches_and_injects_faults(void **state)
{
	uint32_t r[4];
	uint64_t pfn;
	uint8_t *page;

	(void)state;
	sim_init(NULL);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(r[1], 0x40000000);
	page = os_page_alloc(&pfn);
	assert_non_null(page);
	os_wrmsr(r[1], pfn << 12);
	assert_int_equal(sim_hypercall_page_pfn(), pfn);
	sim_register_hypercall(__HYPERVISOR_xen_version, fake_handler);
	assert_int_equal(os_hypercall(page + 32 * __HYPERVISOR_xen_version, 3, 0, 0, 0, 4), 7);
	sim_fail(__HYPERVISOR_xen_version, 3, XEN_EPERM, 1, 1);
	assert_int_equal(os_hypercall(page + 32 * __HYPERVISOR_xen_version, 3, 0, 0, 0, 0), 3);
	assert_int_equal(os_hypercall(page + 32 * __HYPERVISOR_xen_version, 3, 0, 0, 0, 0), -XEN_EPERM);
	assert_int_equal(os_hypercall(page + 32 * __HYPERVISOR_xen_version, 3, 0, 0, 0, 0), 3);
	assert_int_equal(os_hypercall(page + 32 * __HYPERVISOR_sched_op, 0, 0, 0, 0, 0), -XEN_ENOSYS);
	assert_int_equal(sim_calls(__HYPERVISOR_xen_version, SIM_ANY_CMD), 4);
	os_outsb(0xe9, "hi\n", 3);
	assert_string_equal(sim_debug_output(), "hi\n");
	os_page_free(page);
	sim_fini();
}

static long fake_param(const uintptr_t args[5])
{
	struct xen_hvm_param *p = (void *)args[1];

	if (p->index != HVM_PARAM_STORE_PFN)
		return -XEN_EINVAL;
	p->value = 0x1234;
	return 0;
}

static void typed_wrappers_reach_the_model(void **state)
{
	uint64_t v = 0;
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	assert_int_equal(hvm_get_param(HVM_PARAM_STORE_PFN, &v), -XEN_ENOSYS);
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	assert_true(hypercall_ready());
	sim_register_hypercall_cmd(__HYPERVISOR_hvm_op, HVMOP_get_param, fake_param);
	assert_int_equal(hvm_get_param(HVM_PARAM_STORE_PFN, &v), XEN_OK);
	assert_int_equal(v, 0x1234);
	assert_int_equal(hvm_get_param(HVM_PARAM_CONSOLE_PFN, &v), -XEN_EINVAL);
	sim_fail(__HYPERVISOR_hvm_op, HVMOP_get_param, XEN_ESRCH, 0, 1);
	assert_int_equal(hvm_get_param(HVM_PARAM_STORE_PFN, &v), -XEN_ESRCH);
	/* Unregistered command of a multiplexed hypercall. */
	assert_int_equal(hvm_set_param(HVM_PARAM_STORE_PFN, 1), -XEN_ENOSYS);
	hypercall_fini();
	sim_fini();
}

static unsigned work_runs;
static void count_work(void *arg)
{
	(void)arg;
	work_runs++;
}

static void host_work_runs_once_per_queue(void **state)
{
	os_work w;

	(void)state;
	os_work_init(&w, count_work, NULL);
	assert_true(os_work_queue(&w));
	assert_false(os_work_queue(&w));
	assert_int_equal(host_pending_work(), 1);
	assert_int_equal(host_run_work(), 1);
	assert_int_equal(work_runs, 1);
	assert_true(os_work_queue(&w));
	assert_true(os_work_cancel(&w));
	assert_int_equal(host_run_work(), 0);
}

static void host_alloc_faults(void **state)
{
	void *a, *b;

	(void)state;
	host_alloc_fail(1, 1);
	a = os_alloc(8);
	b = os_alloc(8);
	assert_non_null(a);
	assert_null(b);
	os_free(a);
	host_alloc_fail(0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_names_come_from_xen_errno),
		cmocka_unit_test(sim_dispatches_and_injects_faults),
		cmocka_unit_test(typed_wrappers_reach_the_model),
		cmocka_unit_test(host_work_runs_once_per_queue),
		cmocka_unit_test(host_alloc_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
