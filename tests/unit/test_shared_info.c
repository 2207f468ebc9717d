/* shared_info: mapping, 2-level bit primitives, upcall flags, time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "shared_info.h"
#include "hypercall.h"
#include "sim_evtchn.h"

static int up(void **state)
{
	uint32_t r[4];

	(void)state;
	sim_init(NULL);
	sim_shared_info_init();
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]))
		return -1;
	return shared_info_init() == XEN_OK ? 0 : -1;
}

static int down(void **state)
{
	(void)state;
	shared_info_fini();
	hypercall_fini();
	sim_fini();
	host_reset();
	return 0;
}

static void maps_the_page_xen_writes(void **state)
{
	(void)state;
	assert_non_null(shared_info_get());
	assert_ptr_equal(shared_info_get(), sim_shared_info());
	assert_ptr_equal(shared_info_vcpu(3), &sim_shared_info()->vcpu_info[3]);
	assert_null(shared_info_vcpu(XEN_LEGACY_MAX_VCPUS));
	assert_true(shared_info_upcall_supported(0));
	assert_false(shared_info_upcall_supported(XEN_LEGACY_MAX_VCPUS));
	/* Re-mapping (after resume) keeps the same page and Xen's contents. */
	sim_shared_info_set_wallclock(1234, 5);
	assert_int_equal(shared_info_init(), XEN_OK);
	assert_ptr_equal(shared_info_get(), sim_shared_info());
	assert_int_equal(shared_info_get()->wc_sec, 1234);
	assert_int_equal(sim_calls(__HYPERVISOR_memory_op, XENMEM_add_to_physmap), 2);
}

static void map_failure_is_a_status(void **state)
{
	(void)state;
	shared_info_fini();
	assert_null(shared_info_get());
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_EINVAL, 0, 1);
	assert_int_equal(shared_info_init(), -XEN_EINVAL);
	assert_null(shared_info_get());
	assert_null(shared_info_vcpu(0));
	assert_false(shared_info_upcall_pending(0));
	assert_false(shared_info_evtchn_is_pending(1));
	assert_int_equal(shared_info_init(), XEN_OK);
}

static void no_page_no_map(void **state)
{
	(void)state;
	/* The page is allocated once and kept: later inits need no memory. */
	host_alloc_fail(0, 1);
	assert_int_equal(shared_info_init(), XEN_OK);
	host_alloc_fail(0, 0);
}

static unsigned seen[16];
static unsigned nseen;

static bool collect(void *arg, unsigned port)
{
	(void)arg;
	if (nseen < 16)
		seen[nseen] = port;
	nseen++;
	return port == 130;
}

static void two_level_primitives(void **state)
{
	struct shared_info *s = sim_shared_info();
	unsigned bits = (unsigned)SHARED_INFO_WORD_BITS;

	(void)state;
	nseen = 0;
	shared_info_evtchn_mask(5);
	assert_true(s->evtchn_mask[0] & (1ul << 5));
	s->evtchn_pending[0] |= 1ul << 5;
	assert_true(shared_info_evtchn_unmask(5));	/* pending */
	assert_false(s->evtchn_mask[0] & (1ul << 5));
	shared_info_evtchn_ack(5);
	assert_false(shared_info_evtchn_is_pending(5));
	assert_false(shared_info_evtchn_unmask(5));
	/* Out of range: ignored. */
	shared_info_evtchn_mask(SHARED_INFO_2L_PORTS);
	shared_info_evtchn_ack(SHARED_INFO_2L_PORTS + 7);
	assert_false(shared_info_evtchn_is_pending(SHARED_INFO_2L_PORTS));
	/* Poll: selected words only, masked ports skipped. */
	s->evtchn_pending[2] = (1ul << 2) | (1ul << 3);
	s->evtchn_mask[2] = 1ul << 3;
	s->evtchn_pending[0] = 1ul << 9;	/* word 0 not selected */
	s->vcpu_info[1].evtchn_pending_sel = 1ul << 2;
	s->vcpu_info[1].evtchn_upcall_pending = 1;
	assert_true(shared_info_upcall_pending(1));
	assert_false(shared_info_upcall_pending(1));
	assert_true(shared_info_evtchn_poll(1, collect, NULL) == (2 * bits + 2 == 130));
	assert_int_equal(nseen, 1);
	assert_int_equal(seen[0], 2 * bits + 2);
	assert_int_equal(s->vcpu_info[1].evtchn_pending_sel, 0);
	assert_false(shared_info_evtchn_poll(1, collect, NULL));
	assert_int_equal(nseen, 1);
}

static void time_follows_xen_formula(void **state)
{
	struct shared_info_time t;
	uint64_t ft;

	(void)state;
	sim_shared_info_set_wallclock(0x100000000ull + 7, 999999000);
	/* mul 2^31: half a ns per shifted tick; shift 1 doubles: 1 ns/tick. */
	sim_shared_info_set_time(0, 5000000000ull, 1000, 0x80000000u, 1);
	assert_int_equal(shared_info_time(0, 1000 + 3000, &t), XEN_OK);
	assert_int_equal(t.wc_sec, 0x100000000ull + 7);
	assert_int_equal(t.wc_nsec, 999999000);
	assert_int_equal(t.system_ns, 5000000000ull + 3000);
	/* Negative shift. */
	sim_shared_info_set_time(0, 0, 0, 0x80000000u, -2);
	assert_int_equal(shared_info_time(0, 4000, &t), XEN_OK);
	assert_int_equal(t.system_ns, 500);
	/* TSC behind the timestamp: no time travel. */
	sim_shared_info_set_time(0, 77, 1000, 0x80000000u, 1);
	assert_int_equal(shared_info_time(0, 10, &t), XEN_OK);
	assert_int_equal(t.system_ns, 77);
	/* FILETIME: 1970 is 11644473600 s after 1601. */
	sim_shared_info_set_wallclock(0, 0);
	sim_shared_info_set_time(0, 1500000000ull, 0, 0x80000000u, 1);
	assert_int_equal(shared_info_filetime(0, 0, &ft), XEN_OK);
	assert_int_equal(ft, (11644473600ull + 1) * 10000000ull + 5000000ull);
	/* An update that never finishes (odd version): a status, not a hang. */
	sim_shared_info()->vcpu_info[0].time.version |= 1;
	assert_int_equal(shared_info_time(0, 0, &t), -XEN_EBUSY);
	assert_int_equal(shared_info_time(XEN_LEGACY_MAX_VCPUS, 0, &t), -XEN_ENODEV);
}

static void scale_matches_wide_arithmetic(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		struct vcpu_time_info ti = { 0 };
		uint64_t tsc, delta;
		unsigned __int128 want;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		ti.tsc_timestamp = x >> 20;
		ti.system_time = x >> 30;
		ti.tsc_to_system_mul = (uint32_t)(x >> 3);
		ti.tsc_shift = (int8_t)((int)(x % 9) - 4);
		tsc = ti.tsc_timestamp + (x >> 34);
		delta = tsc - ti.tsc_timestamp;
		delta = ti.tsc_shift < 0 ? delta >> -ti.tsc_shift : delta << ti.tsc_shift;
		want = ((unsigned __int128)delta * ti.tsc_to_system_mul) >> 32;
		assert_int_equal(shared_info_scale_tsc(&ti, tsc), ti.system_time + (uint64_t)want);
	}
}

/* Xen stamps a new domain's record before its TSC starts near 0: the stamp
 * is a wrapped ("negative") value, the delta is still the modular one. */
static void wrapped_stamp_is_a_modular_delta(void **state)
{
	struct vcpu_time_info ti = { 0 };

	(void)state;
	ti.tsc_timestamp = (uint64_t)-1000;	/* 1000 ticks before TSC 0 */
	ti.system_time = 5000000;
	ti.tsc_to_system_mul = 0x80000000u;	/* 0.5 ns a tick */
	ti.tsc_shift = 1;			/* ... times 2: 1 ns a tick */
	assert_int_equal(shared_info_scale_tsc(&ti, 0), 5000000 + 1000);
	assert_int_equal(shared_info_scale_tsc(&ti, 2600000000ull), 5000000 + 1000 + 2600000000ull);
	/* A TSC read just before the stamp (an update in between): the stamp's
	 * time, never a jump back or a wrap to the far future. */
	ti.tsc_timestamp = 1000000;
	assert_int_equal(shared_info_scale_tsc(&ti, 999000), 5000000);
	assert_int_equal(shared_info_scale_tsc(&ti, 0), 5000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(maps_the_page_xen_writes, up, down),
		cmocka_unit_test_setup_teardown(map_failure_is_a_status, up, down),
		cmocka_unit_test_setup_teardown(no_page_no_map, up, down),
		cmocka_unit_test_setup_teardown(two_level_primitives, up, down),
		cmocka_unit_test_setup_teardown(time_follows_xen_formula, up, down),
		cmocka_unit_test_setup_teardown(scale_matches_wide_arithmetic, up, down),
		cmocka_unit_test_setup_teardown(wrapped_stamp_is_a_modular_delta, up, down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
