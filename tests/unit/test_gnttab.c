/* gnttab v1 against the model: table size checks, growth to the maximum,
 * the GTF revoke protocol with a backend that maps, reads, writes and
 * refuses to let go, reserved references, resume, hypercall failures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <sys/mman.h>

#include "gnttab.h"
#include "hypercall.h"
#include "sim_gnttab.h"

#define BACKEND 0

static int setup(void **state)
{
	uint32_t r[4];

	(void)state;
	host_reset();
	sim_init(NULL);
	sim_gnttab_init();
	os_cpuid(0x40000002, 0, r);
	assert_int_equal(hypercall_init(r[1]), XEN_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(gnttab_fini(), XEN_OK);
	hypercall_fini();
	sim_fini();
	host_reset();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

/* A page whose frame fits a v1 entry (host frames are addresses >> 12). */
static void *low_page(uint64_t *pfn)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	*pfn = (uint64_t)(uintptr_t)p >> 12;
	assert_true(*pfn <= UINT32_MAX);
	return p;
}

static void low_page_free(void *p)
{
	munmap(p, 4096);
}

static struct gnttab_cache *new_cache(unsigned cap)
{
	struct gnttab_cache *gc;

	assert_int_equal(gnttab_cache_create("vbd", 0, cap, NULL, NULL, NULL, &gc), XEN_OK);
	return gc;
}

static grant_entry_v1_t *shared_entry(uint32_t ref)
{
	grant_entry_v1_t *frame = sim_frame(sim_gnttab_frame_gpfn(ref / 512));

	return &frame[ref % 512];
}

static void init_maps_frame_zero(void **state)
{
	(void)state;
	assert_int_equal(gnttab_frames(), 0);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	assert_int_equal(gnttab_frames(), 1);
	assert_int_equal(gnttab_max_frames(), 64);
	assert_int_equal(gnttab_free_refs(), 512 - GNTTAB_RESERVED_REFS);
	assert_int_equal(sim_gnttab_frames_placed(), 1);
	assert_int_not_equal(sim_gnttab_frame_gpfn(0), 0);
	assert_int_equal(gnttab_init(NULL), -XEN_EEXIST);
	assert_int_equal(sim_calls(__HYPERVISOR_grant_table_op, GNTTABOP_query_size), 1);
}

static void query_size_answers_are_checked(void **state)
{
	(void)state;
	sim_gnttab_set_query_status(GNTST_general_error);
	assert_int_equal(gnttab_init(NULL), -XEN_EIO);
	sim_gnttab_set_query_status(GNTST_okay);
	sim_gnttab_set_size(1, 0);
	assert_int_equal(gnttab_init(NULL), -XEN_EIO);
	sim_gnttab_set_size(5, 4);
	assert_int_equal(gnttab_init(NULL), -XEN_EIO);
	sim_gnttab_set_size(1, 32);
	sim_fail(__HYPERVISOR_grant_table_op, GNTTABOP_query_size, XEN_EPERM, 0, 1);
	assert_int_equal(gnttab_init(NULL), -XEN_EPERM);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_ENOMEM, 0, 1);
	assert_int_equal(gnttab_init(NULL), -XEN_ENOMEM);
	assert_int_equal(host_live_allocations(), 0);
	sim_gnttab_set_size(1, 0x40000000);	/* absurd: clamped */
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	assert_int_equal(gnttab_max_frames(), GNTTAB_MAX_FRAMES);
}

static void init_survives_every_allocation_failure(void **state)
{
	unsigned skip;
	xen_status rc;

	(void)state;
	for (skip = 0;; skip++) {
		host_alloc_fail(skip, 1);
		rc = gnttab_init(NULL);
		host_alloc_fail(0, 0);
		if (rc == XEN_OK)
			break;
		assert_int_equal(rc, -XEN_ENOMEM);
		assert_int_equal(host_live_allocations(), 0);
	}
	assert_true(skip >= 3);	/* frames array, range set, frame page */
	assert_int_equal(gnttab_frames(), 1);
}

static void backend_maps_reads_and_writes(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e;
	uint32_t ref, h, h2;
	uint64_t pfn, got;
	uint8_t *page = low_page(&pfn);
	char buf[8];
	bool ro;

	(void)state;
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	assert_string_equal(gnttab_cache_name(gc), "vbd_gnttab");
	memcpy(page + 100, "guest", 6);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &e), XEN_OK);
	ref = gnttab_entry_ref(e);
	assert_true(ref >= GNTTAB_RESERVED_REFS);
	assert_int_equal(gnttab_query_reference(ref, &got, &ro), XEN_OK);
	assert_int_equal(got, pfn);
	assert_false(ro);
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access);
	/* Wrong domain, unknown ref. */
	assert_int_equal(sim_gnttab_map(7, ref, false, &h), GNTST_general_error);
	assert_int_equal(sim_gnttab_map(BACKEND, 600, false, &h), GNTST_bad_gntref);
	assert_int_equal(sim_gnttab_map(BACKEND, ref, false, &h), GNTST_okay);
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(sim_gnttab_read(h, 100, buf, 6), GNTST_okay);
	assert_string_equal(buf, "guest");
	assert_int_equal(sim_gnttab_write(h, 200, "backend", 8), GNTST_okay);
	assert_string_equal((char *)page + 200, "backend");
	assert_int_equal(sim_gnttab_write(h, 4090, "backend", 8), GNTST_bad_copy_arg);
	/* A second, read-only mapping: writing stays set until the rw one goes. */
	assert_int_equal(sim_gnttab_map(BACKEND, ref, true, &h2), GNTST_okay);
	assert_int_equal(sim_gnttab_write(h2, 0, "x", 1), GNTST_permission_denied);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_okay);
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access | GTF_reading);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_bad_handle);
	assert_int_equal(sim_gnttab_unmap(h2), GNTST_okay);
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), XEN_OK);
	assert_int_equal(shared_entry(ref)->flags, 0);
	assert_int_equal(shared_entry(ref)->frame, 0);
	assert_int_equal(sim_gnttab_map(BACKEND, ref, true, &h), GNTST_general_error);
	/* Read-only grant. */
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, true, &e), XEN_OK);
	ref = gnttab_entry_ref(e);
	assert_int_equal(gnttab_query_reference(ref, NULL, &ro), XEN_OK);
	assert_true(ro);
	assert_int_equal(sim_gnttab_map(BACKEND, ref, false, &h), GNTST_general_error);
	assert_int_equal(sim_gnttab_map(BACKEND, ref, true, &h), GNTST_okay);
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_okay);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	low_page_free(page);
}

static void revoke_while_mapped_reports_and_keeps_entry(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e, *others[600];	/* 800 permits, 200 revoked */
	uint32_t ref, h;
	uint64_t pfn;
	uint8_t *page = low_page(&pfn);
	unsigned i, n = 0;
	char buf[4];

	(void)state;
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &e), XEN_OK);
	ref = gnttab_entry_ref(e);
	assert_int_equal(sim_gnttab_map(BACKEND, ref, false, &h), GNTST_okay);
	sim_gnttab_hold(h, SIM_GNTTAB_FOREVER);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_general_error);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), -XEN_EBUSY);
	assert_int_equal(sim_gnttab_yields(), GNTTAB_REVOKE_ATTEMPTS - 1);
	/* Still granted, still usable by the backend. */
	assert_int_equal(shared_entry(ref)->flags, GTF_permit_access | GTF_reading | GTF_writing);
	assert_int_equal(shared_entry(ref)->frame, pfn);
	memcpy(page, "abc", 4);
	assert_int_equal(sim_gnttab_read(h, 0, buf, 4), GNTST_okay);
	assert_string_equal(buf, "abc");
	/* Never handed out again, even when the table has to grow. */
	for (i = 0; i < 800; i++) {
		assert_int_equal(gnttab_permit_foreign_access(gc, false, 3, pfn, true, &others[n]),
				 XEN_OK);
		assert_int_not_equal(gnttab_entry_ref(others[n]), ref);
		n++;
		if (i % 4 == 0)	/* churn through the magazine too */
			assert_int_equal(gnttab_revoke_foreign_access(gc, false, others[--n]), XEN_OK);
	}
	assert_int_equal(gnttab_frames(), 2);
	assert_int_equal(gnttab_cache_destroy(gc), -XEN_EBUSY);
	/* The backend lets go: a later revoke succeeds. */
	sim_gnttab_hold(h, 0);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_okay);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), XEN_OK);
	assert_int_equal(shared_entry(ref)->flags, 0);
	for (i = 0; i < n; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, others[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	assert_int_equal(gnttab_free_refs(), 2 * 512 - GNTTAB_RESERVED_REFS);
	low_page_free(page);
}

static void revoke_while_copying(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e;
	uint32_t h;
	uint64_t pfn;
	void *page = low_page(&pfn);
	int write;

	(void)state;
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	for (write = 0; write < 2; write++) {
		assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &e),
				 XEN_OK);
		assert_int_equal(sim_gnttab_copy_begin(BACKEND, gnttab_entry_ref(e), write, &h),
				 GNTST_okay);
		assert_int_equal(shared_entry(gnttab_entry_ref(e))->flags,
				 GTF_permit_access | GTF_reading | (write ? GTF_writing : 0));
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), -XEN_EBUSY);
		sim_gnttab_copy_end(h);
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), XEN_OK);
	}
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	low_page_free(page);
}

static void backend_lets_go_during_retries(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e;
	uint32_t h;
	uint64_t pfn;
	void *page = low_page(&pfn);

	(void)state;
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, true, &e), XEN_OK);
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(e), true, &h), GNTST_okay);
	sim_gnttab_hold(h, 5);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e), XEN_OK);
	assert_int_equal(sim_gnttab_yields(), 5);
	assert_int_equal(sim_gnttab_mappings(), 0);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	low_page_free(page);
}

static void grows_to_max_then_exhausts(void **state)
{
	enum { MAXF = 3, USABLE = MAXF * 512 - GNTTAB_RESERVED_REFS };
	static struct gnttab_entry *e[USABLE];
	static bool seen[MAXF * 512];
	struct gnttab_cache *gc;
	struct gnttab_entry *extra;
	unsigned i;

	(void)state;
	sim_gnttab_set_size(1, MAXF);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < USABLE; i++) {
		uint32_t ref;

		assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, i, i & 1, &e[i]),
				 XEN_OK);
		ref = gnttab_entry_ref(e[i]);
		assert_true(ref >= GNTTAB_RESERVED_REFS && ref < MAXF * 512);
		assert_false(seen[ref]);
		seen[ref] = true;
	}
	assert_int_equal(gnttab_frames(), MAXF);
	assert_int_equal(sim_gnttab_frames_placed(), MAXF);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 1, false, &extra),
			 -XEN_ENOSPC);
	/* One back: usable again at once. */
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, e[7]), XEN_OK);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 1, false, &e[7]),
			 XEN_OK);
	for (i = 0; i < USABLE; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, e[i]), XEN_OK);
	assert_int_equal(gnttab_free_refs(), 0);	/* constructed entries keep refs */
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	assert_int_equal(gnttab_free_refs(), USABLE);
	assert_int_equal(gnttab_lost_refs(), 0);
}

static void growth_failures_are_reported_then_recover(void **state)
{
	static struct gnttab_entry *e[512];
	struct gnttab_cache *gc;
	struct gnttab_entry *x;
	unsigned i;

	(void)state;
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	for (i = 0; i < 512 - GNTTAB_RESERVED_REFS; i++)
		assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 9, false, &e[i]),
				 XEN_OK);
	host_alloc_fail(0, 1);	/* no page for the next frame */
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 9, false, &x),
			 -XEN_ENOSPC);
	host_alloc_fail(0, 0);
	assert_int_equal(gnttab_frames(), 1);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_ENOMEM, 0, 1);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 9, false, &x),
			 -XEN_ENOSPC);
	assert_int_equal(gnttab_frames(), 1);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 9, false, &x), XEN_OK);
	assert_int_equal(gnttab_frames(), 2);
	assert_int_equal(gnttab_entry_ref(x), 512);
	assert_int_equal(sim_gnttab_frames_placed(), 2);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, x), XEN_OK);
	for (i = 0; i < 512 - GNTTAB_RESERVED_REFS; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, e[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
}

static void cap_and_argument_checks(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e[5];
	unsigned i;

	(void)state;
	assert_int_equal(gnttab_cache_create("x", 0, 0, NULL, NULL, NULL, &gc), -XEN_ENODEV);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(4);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 1ull << 32, false, &e[0]),
			 -XEN_ERANGE);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, DOMID_SELF, 1, false, &e[0]),
			 -XEN_EINVAL);
	for (i = 0; i < 4; i++)
		assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 0xffffffffu, false,
							      &e[i]), XEN_OK);
	assert_int_equal(shared_entry(gnttab_entry_ref(e[3]))->frame, 0xffffffffu);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 1, false, &e[4]),
			 -XEN_ENOSPC);
	assert_int_equal(gnttab_fini(), -XEN_EBUSY);
	for (i = 0; i < 4; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, e[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	/* A long name is cut so that the whole suffix fits; NULL is "". */
	assert_int_equal(gnttab_cache_create("0123456789abcdefghijklmnopqrstuvwxyz", 0, 0, NULL,
					     NULL, NULL, &gc), XEN_OK);
	assert_string_equal(gnttab_cache_name(gc), "0123456789abcdefghijklmn_gnttab");
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	assert_int_equal(gnttab_cache_create(NULL, 0, 0, NULL, NULL, NULL, &gc), XEN_OK);
	assert_string_equal(gnttab_cache_name(gc), "_gnttab");
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
}

static void reserved_refs_and_toolstack_grants(void **state)
{
	uint64_t pfn;
	uint32_t h;
	bool ro;
	unsigned long yields;

	(void)state;
	assert_int_equal(sim_gnttab_seed(GNTTAB_CONSOLE_REF, BACKEND, 0xfeed0, GTF_permit_access), 0);
	assert_int_equal(sim_gnttab_seed(GNTTAB_STORE_REF, BACKEND, 0xfeed1,
					 GTF_permit_access | GTF_readonly), 0);
	assert_int_equal(sim_gnttab_seed(512, BACKEND, 1, GTF_permit_access), -1);
	assert_int_equal(gnttab_query_reference(0, &pfn, &ro), -XEN_EINVAL);	/* not up */
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	assert_int_equal(gnttab_query_reference(GNTTAB_CONSOLE_REF, &pfn, &ro), XEN_OK);
	assert_int_equal(pfn, 0xfeed0);
	assert_false(ro);
	assert_int_equal(gnttab_query_reference(GNTTAB_STORE_REF, &pfn, &ro), XEN_OK);
	assert_int_equal(pfn, 0xfeed1);
	assert_true(ro);
	assert_int_equal(gnttab_query_reference(511, &pfn, NULL), XEN_OK);
	assert_int_equal(gnttab_query_reference(512, &pfn, NULL), -XEN_EINVAL);
	assert_int_equal(gnttab_permit_reserved(7, BACKEND, 5, false), -XEN_EINVAL);
	assert_int_equal(gnttab_permit_reserved(32, BACKEND, 5, false), -XEN_EINVAL);
	assert_int_equal(gnttab_permit_reserved(1, BACKEND, 5, false), -XEN_EINVAL);
	assert_int_equal(gnttab_permit_reserved(8, BACKEND, 5, false), XEN_OK);
	assert_int_equal(gnttab_permit_reserved(8, BACKEND, 6, false), -XEN_EBUSY);
	assert_int_equal(gnttab_permit_reserved(31, BACKEND, 1ull << 40, false), -XEN_ERANGE);
	assert_int_equal(sim_gnttab_map(BACKEND, 8, false, &h), GNTST_okay);
	yields = sim_gnttab_yields();
	assert_int_equal(gnttab_revoke_reserved(8), -XEN_EBUSY);
	assert_int_equal(sim_gnttab_yields(), yields);	/* crash path: no yield */
	assert_int_equal(sim_gnttab_unmap(h), GNTST_okay);
	assert_int_equal(gnttab_revoke_reserved(8), XEN_OK);
	assert_int_equal(gnttab_permit_reserved(8, BACKEND, 6, true), XEN_OK);
	assert_int_equal(gnttab_revoke_reserved(8), XEN_OK);
	assert_int_equal(gnttab_revoke_reserved(40), -XEN_EINVAL);
}

static void resume_replaces_frames_and_voids_entries(void **state)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *a, *b, *c;
	uint64_t gpfn0, pfn, got;
	uint32_t h;
	void *page = low_page(&pfn);
	unsigned i;
	static struct gnttab_entry *fill[512];

	(void)state;
	assert_int_equal(gnttab_resume(), -XEN_ENODEV);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	for (i = 0; i < 512 - GNTTAB_RESERVED_REFS; i++)	/* make it two frames */
		assert_int_equal(gnttab_permit_foreign_access(gc, false, 2, 1, true, &fill[i]),
				 XEN_OK);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &a), XEN_OK);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &b), XEN_OK);
	assert_int_equal(gnttab_frames(), 2);
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(b), false, &h), GNTST_okay);
	sim_gnttab_hold(h, SIM_GNTTAB_FOREVER);
	gpfn0 = sim_gnttab_frame_gpfn(0);
	sim_gnttab_resume();
	assert_int_equal(sim_gnttab_frames_placed(), 0);
	assert_int_equal(sim_gnttab_mappings(), 0);
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(a), false, &h), GNTST_bad_gntref);
	sim_fail(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, XEN_EINVAL, 1, 1);
	assert_int_equal(gnttab_resume(), -XEN_EINVAL);
	assert_int_equal(gnttab_resume(), XEN_OK);
	assert_int_equal(sim_gnttab_frames_placed(), 2);
	assert_int_equal(sim_gnttab_frame_gpfn(0), gpfn0);
	/* A new domain's table is empty (real Xen: measured): the old grants
	 * are void, revoking them succeeds, the owner grants again. */
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(a), false, &h), GNTST_general_error);
	assert_int_equal(gnttab_query_reference(gnttab_entry_ref(a), &got, NULL), XEN_OK);
	assert_int_equal(got, 0);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, a), XEN_OK);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &a), XEN_OK);
	assert_int_equal(sim_gnttab_map(BACKEND, gnttab_entry_ref(a), false, &h), GNTST_okay);
	assert_int_equal(sim_gnttab_unmap(h), GNTST_okay);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, a), XEN_OK);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, b), XEN_OK);
	assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, pfn, false, &c), XEN_OK);
	assert_int_equal(gnttab_revoke_foreign_access(gc, false, c), XEN_OK);
	for (i = 0; i < 512 - GNTTAB_RESERVED_REFS; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, fill[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	low_page_free(page);
}

static unsigned locks, unlocks;
static void client_lock(void *arg)
{
	assert_ptr_equal(arg, &locks);
	locks++;
}
static void client_unlock(void *arg)
{
	assert_ptr_equal(arg, &locks);
	unlocks++;
}

static void many_cpus_random_permit_revoke(void **state)
{
	enum { CPUS = 8, SLOTS = 700 };
	static struct gnttab_entry *slot[SLOTS];
	static uint32_t owner[64 * 512];
	struct gnttab_cache *gc;
	uint64_t r = 0x2545F4914F6CDD1Dull;
	unsigned i;

	(void)state;
	host_set_cpu_count(CPUS);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	assert_int_equal(gnttab_cache_create("vif", 16, 0, client_lock, client_unlock, &locks, &gc),
			 XEN_OK);
	memset(slot, 0, sizeof(slot));
	memset(owner, 0, sizeof(owner));
	for (i = 0; i < 30000; i++) {
		unsigned k;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		host_set_cpu((unsigned)(r % CPUS));
		k = (unsigned)((r >> 16) % SLOTS);
		if (slot[k]) {
			uint32_t ref = gnttab_entry_ref(slot[k]);

			assert_int_equal(owner[ref], k + 1);
			assert_int_equal(shared_entry(ref)->frame, k);
			owner[ref] = 0;
			assert_int_equal(gnttab_revoke_foreign_access(gc, false, slot[k]), XEN_OK);
			slot[k] = NULL;
		} else {
			uint32_t ref;

			assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, k, false,
								      &slot[k]), XEN_OK);
			ref = gnttab_entry_ref(slot[k]);
			assert_int_equal(owner[ref], 0);	/* never two holders */
			owner[ref] = k + 1;
		}
	}
	for (i = 0; i < SLOTS; i++)
		if (slot[i])
			assert_int_equal(gnttab_revoke_foreign_access(gc, false, slot[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	assert_int_equal(locks, unlocks);
	assert_true(locks > 0);
}

/* Real threads, two per CPU index, growing the table concurrently: every
 * reference has one holder at a time. */
struct grant_worker {
	struct gnttab_cache *gc;
	unsigned cpu;
	uint32_t id;
	unsigned failures;
};

static uint32_t ref_holder[8 * 512];

static void *grant_worker_run(void *arg)
{
	struct grant_worker *w = arg;
	struct gnttab_entry *mine[100];
	unsigned round, k, n;

	host_set_cpu(w->cpu);
	for (round = 0; round < 60; round++) {
		n = 1 + (round * 37) % 100;
		for (k = 0; k < n; k++) {
			uint32_t expected = 0;

			if (gnttab_permit_foreign_access(w->gc, false, BACKEND, k, k & 1, &mine[k])) {
				w->failures++;
				return NULL;
			}
			if (!__atomic_compare_exchange_n(&ref_holder[gnttab_entry_ref(mine[k])],
							 &expected, w->id, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
				w->failures++;
		}
		while (k--) {
			__atomic_store_n(&ref_holder[gnttab_entry_ref(mine[k])], 0, __ATOMIC_SEQ_CST);
			if (gnttab_revoke_foreign_access(w->gc, false, mine[k]))
				w->failures++;
		}
	}
	return NULL;
}

static void threads_permit_and_revoke(void **state)
{
	enum { THREADS = 4 };
	static struct gnttab_entry *held[470];
	struct grant_worker w[THREADS];
	pthread_t t[THREADS];
	struct gnttab_cache *gc;
	unsigned i;

	(void)state;
	host_set_cpu_count(2);
	sim_gnttab_set_size(1, 8);
	assert_int_equal(gnttab_init(NULL), XEN_OK);
	gc = new_cache(0);
	memset(ref_holder, 0, sizeof(ref_holder));
	/* Nearly fill frame 0 so that the threads must grow the table. */
	for (i = 0; i < 470; i++)
		assert_int_equal(gnttab_permit_foreign_access(gc, false, BACKEND, 1, true, &held[i]),
				 XEN_OK);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct grant_worker){ .gc = gc, .cpu = i % 2, .id = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, grant_worker_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_true(gnttab_frames() >= 2);
	for (i = 0; i < 470; i++)
		assert_int_equal(gnttab_revoke_foreign_access(gc, false, held[i]), XEN_OK);
	assert_int_equal(gnttab_cache_destroy(gc), XEN_OK);
	assert_int_equal(gnttab_free_refs(), gnttab_frames() * 512 - GNTTAB_RESERVED_REFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(init_maps_frame_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(query_size_answers_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(init_survives_every_allocation_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(backend_maps_reads_and_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(revoke_while_mapped_reports_and_keeps_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(revoke_while_copying, setup, teardown),
		cmocka_unit_test_setup_teardown(backend_lets_go_during_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(grows_to_max_then_exhausts, setup, teardown),
		cmocka_unit_test_setup_teardown(growth_failures_are_reported_then_recover, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_and_argument_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(reserved_refs_and_toolstack_grants, setup, teardown),
		cmocka_unit_test_setup_teardown(resume_replaces_frames_and_voids_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(many_cpus_random_permit_revoke, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_permit_and_revoke, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
