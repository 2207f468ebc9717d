/*
 * Suite "basic": the hypervisor interface the rest stands on, without the
 * higher core modules: detection, version, hypercall page, HVM params,
 * shared info time, timer wake-ups, a raw xenstore ring request.
 */
#include "xt.h"
#include "xt_xs.h"


static uint32_t find_xen_leaf(void)
{
	uint32_t r[4], base;

	for (base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000; base += 0x100) {
		os_cpuid(base, 0, r);
		if (r[1] == XEN_CPUID_SIGNATURE_EBX && r[2] == XEN_CPUID_SIGNATURE_ECX &&
		    r[3] == XEN_CPUID_SIGNATURE_EDX)
			return base;
	}
	return 0;
}

XT_SCENARIO(basic, detect)
{
	uint32_t base = find_xen_leaf(), r[4];

	XT_CHECK(base != 0);
	os_cpuid(base, 0, r);
	XT_CHECK(r[0] >= base + 2); /* version and hypercall-MSR leaves exist */
	os_cpuid(base + 1, 0, r);
	xt_note("cpuid leaf %x: Xen %u.%u", base, r[0] >> 16, r[0] & 0xffff);
	XT_CHECK(r[0] >> 16 == 4);
}

XT_SCENARIO(basic, version)
{
	xen_extraversion_t extra;
	xen_feature_info_t fi = { .submap_idx = 0 };
	uint32_t r[4];
	long v = hypercall_xen_version(XENVER_version, NULL);

	XT_CHECK_OK(v);
	os_cpuid(find_xen_leaf() + 1, 0, r);
	/* The hypercall and CPUID must agree on major.minor. */
	XT_CHECK_EQ(v, r[0]);
	XT_CHECK_EQ(v >> 16, 4);
	XT_CHECK_EQ(v & 0xffff, 17);
	__builtin_memset(extra, 0, sizeof(extra));
	XT_CHECK_OK(hypercall_xen_version(XENVER_extraversion, extra));
	XT_CHECK(extra[sizeof(extra) - 1] == 0);
	XT_CHECK_OK(hypercall_xen_version(XENVER_get_features, &fi));
	XT_CHECK(fi.submap & (1u << XENFEAT_hvm_callback_vector));
	xt_note("Xen %ld.%ld%s features %x", v >> 16, v & 0xffff, extra, fi.submap);
}

XT_SCENARIO(basic, hypercall_page)
{
	uint64_t pfn;
	const uint8_t *page = os_hypercall_page(&pfn);
	unsigned i, stubs = 0;

	XT_CHECK(hypercall_ready());
	/* Xen replaced our 0xcc fill with a stub per hypercall. */
	for (i = 0; i < 64; i++)
		stubs += page[i * 32] != 0xcc;
	XT_CHECK(stubs >= 32);
	/* An unknown xen_version sub-command is refused, not a crash. */
	XT_CHECK_EQ(hypercall_xen_version(0x7fff, NULL), -XEN_ENOSYS);
	/* An unknown hypercall number is refused too. */
	XT_CHECK_EQ(os_hypercall(page + 32 * 63, 0, 0, 0, 0, 0), -XEN_ENOSYS);
}

XT_SCENARIO(basic, hvm_params)
{
	uint64_t store_pfn = 0, store_port = 0, cons_pfn = 0, cons_port = 0, cb = 0;

	XT_CHECK_OK(hvm_get_param(HVM_PARAM_STORE_PFN, &store_pfn));
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_STORE_EVTCHN, &store_port));
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_CONSOLE_PFN, &cons_pfn));
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_CONSOLE_EVTCHN, &cons_port));
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_CALLBACK_IRQ, &cb));
	xt_note("store pfn %lx port %lu, console pfn %lx port %lu, callback %lx",
		(unsigned long)store_pfn, (unsigned long)store_port, (unsigned long)cons_pfn,
		(unsigned long)cons_port, (unsigned long)cb);
	XT_CHECK(store_pfn != 0 && store_port != 0);
	XT_CHECK(cons_pfn != 0 && cons_port != 0);
	XT_CHECK(store_pfn != cons_pfn && store_port != cons_port);
	XT_CHECK_EQ(cb & 0xff, GUEST_UPCALL_VECTOR);
	/* A parameter index out of range is refused. */
	XT_CHECK(hvm_get_param(HVM_NR_PARAMS, &cb) < 0);
}

XT_SCENARIO(basic, shared_info_time)
{
	struct shared_info *si = guest_shared_info();
	uint64_t t0, t1, sys0;

	XT_CHECK(si != NULL);
	sys0 = si->vcpu_info[0].time.system_time;
	XT_CHECK(si->vcpu_info[0].time.tsc_to_system_mul != 0);
	XT_CHECK(si->wc_sec != 0 || si->wc_sec_hi != 0 || sys0 != 0);
	t0 = os_time_ns();
	XT_CHECK(t0 > 0);
	os_delay_ns(20 * 1000 * 1000);
	t1 = os_time_ns();
	XT_CHECK(t1 >= t0 + 20 * 1000 * 1000);
	XT_CHECK(t1 < t0 + 2000ull * 1000 * 1000);
	xt_note("system time %lu ns, wallclock %u s", (unsigned long)t1, si->wc_sec);
}

XT_SCENARIO(basic, timer_wakeup)
{
	os_event ev;
	uint64_t t0, dt;

	os_event_init(&ev);
	t0 = os_time_ns();
	XT_CHECK(!os_event_wait(&ev, 50 * 1000 * 1000));
	dt = os_time_ns() - t0;
	XT_CHECK(dt >= 50 * 1000 * 1000);
	XT_CHECK(dt < 1000ull * 1000 * 1000);
	os_event_set(&ev);
	XT_CHECK(os_event_wait(&ev, 0));
}
