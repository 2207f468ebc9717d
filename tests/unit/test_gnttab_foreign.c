/* gnttab_foreign: mapping other domains' grants into a hole, all or
 * nothing, lookup by address, unmap failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "gnttab_foreign.h"
#include "hypercall.h"
#include "sim_gnttab.h"

#define HOLE_PAGES 16
#define DOM 0

static uint8_t *hole;
static uint64_t hole_gfn;
static uint8_t foreign[4][4096];

static int setup(void **state)
{
	uint32_t r[4];
	unsigned i;

	(void)state;
	host_reset();
	sim_init(NULL);
	sim_gnttab_init();
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	hole = mmap(NULL, HOLE_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	assert_true(hole != MAP_FAILED);
	hole_gfn = (uint64_t)(uintptr_t)hole >> 12;
	for (i = 0; i < 4; i++) {
		memset(foreign[i], 'a' + i, 4096);
		/* refs 10..13; 13 is read-only */
		assert_int_equal(sim_gnttab_foreign_grant(DOM, 10 + i, foreign[i], i == 3), 0);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(gnttab_foreign_fini(), XEN_OK);
	munmap(hole, HOLE_PAGES * 4096);
	hypercall_fini();
	sim_fini();
	host_reset();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static uint8_t *at(uint64_t address)
{
	return (uint8_t *)(uintptr_t)address;
}

static void maps_and_unmaps_by_address(void **state)
{
	const uint32_t refs[3] = { 10, 11, 12 };
	uint64_t a, b;

	(void)state;
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, refs, false, &a), -XEN_ENODEV);
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), XEN_OK);
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), -XEN_EEXIST);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &a), XEN_OK);
	assert_int_equal(a, hole_gfn << 12);
	assert_int_equal(sim_gnttab_foreign_mappings(), 3);
	assert_int_equal(at(a)[0], 'a');
	assert_int_equal(at(a)[4096 + 5], 'b');
	assert_int_equal(at(a)[2 * 4096 + 4095], 'c');
	at(a)[4096] = 'X';	/* writable: reaches the granting domain */
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, &refs[0], true, &b), XEN_OK);
	assert_int_equal(b, a + 3 * 4096);
	assert_int_equal(gnttab_unmap_foreign_pages(a + 4096), -XEN_ENOENT);
	assert_int_equal(gnttab_unmap_foreign_pages(a + 1), -XEN_ENOENT);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
	assert_int_equal(foreign[1][0], 'X');
	assert_int_equal(gnttab_unmap_foreign_pages(a), -XEN_ENOENT);
	assert_int_equal(gnttab_foreign_fini(), -XEN_EBUSY);
	assert_int_equal(gnttab_unmap_foreign_pages(b), XEN_OK);
	assert_int_equal(sim_gnttab_foreign_mappings(), 0);
	/* First fit from the bottom again. */
	assert_int_equal(gnttab_map_foreign_pages(DOM, 2, refs, false, &a), XEN_OK);
	assert_int_equal(a, hole_gfn << 12);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
}

static void read_only_grants(void **state)
{
	const uint32_t ro = 13;
	uint64_t a;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), XEN_OK);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, &ro, false, &a), -XEN_EIO);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, &ro, true, &a), XEN_OK);
	assert_int_equal(at(a)[9], 'd');
	at(a)[9] = 'Z';	/* our copy only: nothing goes back */
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
	assert_int_equal(foreign[3][9], 'd');
}

static void all_or_nothing(void **state)
{
	const uint32_t refs[3] = { 10, 99, 12 };
	uint64_t a;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), XEN_OK);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &a), -XEN_EINVAL);
	assert_int_equal(sim_gnttab_foreign_mappings(), 0);
	assert_int_equal(gnttab_map_foreign_pages(7, 1, refs, false, &a), -XEN_EINVAL);
	sim_fail(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, XEN_ENOMEM, 0, 1);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, refs, false, &a), -XEN_ENOMEM);
	/* Nothing leaked from the hole: all of it maps in one go. */
	{
		uint32_t many[HOLE_PAGES];
		unsigned i;

		for (i = 0; i < HOLE_PAGES; i++)
			many[i] = 10 + i % 3;
		assert_int_equal(gnttab_map_foreign_pages(DOM, HOLE_PAGES, many, false, &a), XEN_OK);
		assert_int_equal(gnttab_map_foreign_pages(DOM, 1, many, false, &a), -XEN_ENOSPC);
		assert_int_equal(gnttab_unmap_foreign_pages(hole_gfn << 12), XEN_OK);
	}
	assert_int_equal(gnttab_foreign_lost_frames(), 0);
}

static void arguments_checked(void **state)
{
	uint32_t refs[GNTTAB_FOREIGN_MAX_PAGES + 1] = { 10 };
	uint64_t a;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, 0), -XEN_EINVAL);
	assert_int_equal(gnttab_foreign_init(UINT64_MAX >> 12, 2), -XEN_EINVAL);
	assert_int_equal(gnttab_foreign_init(0, UINT64_MAX), -XEN_EINVAL);
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), XEN_OK);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 0, refs, false, &a), -XEN_EINVAL);
	assert_int_equal(gnttab_map_foreign_pages(DOM, GNTTAB_FOREIGN_MAX_PAGES + 1, refs, false, &a),
			 -XEN_EINVAL);
	assert_int_equal(gnttab_map_foreign_pages(DOMID_SELF, 1, refs, false, &a), -XEN_EINVAL);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, NULL, false, &a), -XEN_EINVAL);
	assert_int_equal(gnttab_foreign_status(GNTST_bad_domain), -XEN_ESRCH);
	assert_int_equal(gnttab_foreign_status(GNTST_permission_denied), -XEN_EPERM);
	assert_int_equal(gnttab_foreign_status(GNTST_eagain), -XEN_EAGAIN);
	assert_int_equal(gnttab_foreign_status(GNTST_no_space), -XEN_ENOSPC);
	assert_int_equal(gnttab_foreign_status(-100), -XEN_EIO);
}

static void unmap_refused_then_retried(void **state)
{
	const uint32_t refs[3] = { 10, 11, 12 };
	uint64_t a, b;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, 3), XEN_OK);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &a), XEN_OK);
	sim_gnttab_foreign_fail_unmaps(1);	/* the first page stays mapped */
	assert_int_equal(gnttab_unmap_foreign_pages(a), -XEN_EIO);
	assert_int_equal(sim_gnttab_foreign_mappings(), 1);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 1, refs, false, &b), -XEN_ENOSPC);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);	/* only the rest */
	assert_int_equal(sim_gnttab_foreign_mappings(), 0);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &b), XEN_OK);
	/* Rollback whose unmap fails: that frame is kept out of the hole. */
	assert_int_equal(gnttab_unmap_foreign_pages(b), XEN_OK);
	{
		const uint32_t bad[2] = { 10, 99 };

		sim_gnttab_foreign_fail_unmaps(1);
		assert_int_equal(gnttab_map_foreign_pages(DOM, 2, bad, false, &b), -XEN_EINVAL);
		assert_int_equal(gnttab_foreign_lost_frames(), 1);
		assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &b), -XEN_ENOSPC);
		assert_int_equal(gnttab_map_foreign_pages(DOM, 2, refs, false, &b), XEN_OK);
		assert_int_equal(gnttab_unmap_foreign_pages(b), XEN_OK);
	}
}

/* Xen unmaps some ops of a batch and then fails the hypercall: the pages
 * whose status says so are gone, and a retry unmaps only the rest. */
static void unmap_batch_fails_half_way(void **state)
{
	const uint32_t refs[3] = { 10, 11, 12 };
	uint64_t a;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, 3), XEN_OK);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &a), XEN_OK);
	sim_gnttab_foreign_fault_unmap_batch(1);
	assert_int_equal(gnttab_unmap_foreign_pages(a), -XEN_EIO);
	assert_int_equal(sim_gnttab_foreign_mappings(), 2);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
	assert_int_equal(sim_gnttab_foreign_mappings(), 0);
	assert_int_equal(gnttab_foreign_lost_frames(), 0);
	assert_int_equal(gnttab_map_foreign_pages(DOM, 3, refs, false, &a), XEN_OK);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
}

static void allocation_failures(void **state)
{
	const uint32_t refs[2] = { 10, 11 };
	unsigned skip;
	uint64_t a;
	xen_status rc;

	(void)state;
	assert_int_equal(gnttab_foreign_init(hole_gfn, HOLE_PAGES), XEN_OK);
	for (skip = 0;; skip++) {
		host_alloc_fail(skip, 1);
		rc = gnttab_map_foreign_pages(DOM, 2, refs, false, &a);
		host_alloc_fail(0, 0);
		if (rc == XEN_OK)
			break;
		assert_int_equal(rc, -XEN_ENOMEM);
		assert_int_equal(sim_gnttab_foreign_mappings(), 0);
	}
	assert_true(skip >= 2);
	assert_int_equal(a, hole_gfn << 12);	/* failed tries gave their frames back */
	host_alloc_fail(0, 1);	/* no memory for the unmap batch: retry later */
	assert_int_equal(gnttab_unmap_foreign_pages(a), -XEN_EIO);
	assert_int_equal(gnttab_unmap_foreign_pages(a), XEN_OK);
	assert_int_equal(gnttab_foreign_lost_frames(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(maps_and_unmaps_by_address, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_grants, setup, teardown),
		cmocka_unit_test_setup_teardown(all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(arguments_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_refused_then_retried, setup, teardown),
		cmocka_unit_test_setup_teardown(unmap_batch_fails_half_way, setup, teardown),
		cmocka_unit_test_setup_teardown(allocation_failures, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
