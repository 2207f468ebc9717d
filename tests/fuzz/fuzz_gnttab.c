/*
 * libFuzzer harness for the grant table: the hypervisor's size answer and
 * a backend that maps, holds, unmaps and scribbles on the shared flags are
 * outside input. The input is the size answer, then a stream of operations.
 * Beyond the sanitizers it checks the GTF promises: a revoke that succeeds
 * leaves the entry invalid, one that fails does so only while the flags
 * say the backend is using it, and no reference is ever held twice.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gnttab.h"
#include "hypercall.h"
#include "sim_gnttab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLOTS 48
#define HANDLES 16

struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t next(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static uint8_t *page;	/* the granted frame (fits a v1 entry) */
static uint64_t page_pfn;

static grant_entry_v1_t *shared(uint32_t ref)
{
	return (grant_entry_v1_t *)sim_frame(sim_gnttab_frame_gpfn(ref / 512)) + ref % 512;
}

static void check_unique(struct gnttab_entry *const *slot)
{
	for (int i = 0; i < SLOTS; i++)
		for (int j = i + 1; slot[i] && j < SLOTS; j++)
			if (slot[j] && gnttab_entry_ref(slot[i]) == gnttab_entry_ref(slot[j]))
				abort();
}

/* scribbled: the flags were overwritten, so they may lie about mappings. */
static void revoke(struct gnttab_cache *gc, struct gnttab_entry **slot, bool scribbled)
{
	uint32_t ref = gnttab_entry_ref(*slot);
	xen_status rc = gnttab_revoke_foreign_access(gc, false, *slot);
	uint16_t flags = shared(ref)->flags;

	if (rc == XEN_OK) {
		if (flags != 0 || shared(ref)->frame != 0)
			abort();	/* revoked but still valid */
		if (!scribbled && sim_gnttab_ref_mappings(ref))
			abort();	/* revoked under a live mapping */
		*slot = NULL;
	} else if (rc != -XEN_EBUSY || !(flags & (GTF_reading | GTF_writing))) {
		abort();	/* refused without the backend using it */
	}
}

static void run(struct input *in)
{
	struct gnttab_entry *slot[SLOTS] = { 0 };
	bool scribbled[SLOTS] = { 0 };
	uint32_t handle[HANDLES] = { 0 };
	unsigned i, reservation = next(in) % 8, cap = next(in) % 64;
	struct gnttab_cache *gc;

	if (cap && cap < reservation)
		cap = reservation;
	if (gnttab_cache_create("fuzz", reservation, cap, NULL, NULL, NULL, &gc))
		abort();
	while (in->left) {
		uint8_t op = next(in), arg = next(in), k = arg % SLOTS, h = arg % HANDLES;
		uint64_t pfn;
		bool ro;

		switch (op % 8) {
		case 0:
			if (slot[k])
				break;
			scribbled[k] = false;
			if (gnttab_permit_foreign_access(gc, false, next(in) % 4, page_pfn, op & 8,
							 &slot[k]) == XEN_OK) {
				uint32_t ref = gnttab_entry_ref(slot[k]);

				if (ref < GNTTAB_RESERVED_REFS || ref >= gnttab_frames() * 512)
					abort();
				/* Still mapped from a holder whose flags were scribbled. */
				scribbled[k] = sim_gnttab_ref_mappings(ref) != 0;
				check_unique(slot);
			} else {
				slot[k] = NULL;
			}
			break;
		case 1:
			if (slot[k])
				revoke(gc, &slot[k], scribbled[k]);
			break;
		case 2:
			if (slot[k] && !handle[h])
				sim_gnttab_map(next(in) % 4, gnttab_entry_ref(slot[k]), op & 8, &handle[h]);
			break;
		case 3:
			if (handle[h] && sim_gnttab_unmap(handle[h]) == GNTST_okay)
				handle[h] = 0;
			break;
		case 4:
			if (handle[h])
				sim_gnttab_hold(handle[h], next(in) % 4 == 0 ? SIM_GNTTAB_FOREVER : next(in));
			break;
		case 5:	/* a hostile backend or hypervisor writes the flags */
			if (slot[k]) {
				uint16_t v = (uint16_t)(next(in) | next(in) << 8);

				scribbled[k] = true;
				__atomic_store_n(&shared(gnttab_entry_ref(slot[k]))->flags, v,
						 __ATOMIC_RELAXED);
			}
			break;
		case 6:
			sim_gnttab_resume();
			memset(handle, 0, sizeof(handle));
			if (gnttab_resume() != XEN_OK)
				abort();
			break;
		default:
			gnttab_query_reference((uint32_t)arg << 4 | next(in), &pfn, &ro);
			break;
		}
	}
	/* Everything goes back: the backend lets go, stray bits are cleared. */
	sim_gnttab_resume();
	if (gnttab_resume() != XEN_OK)
		abort();
	for (i = 0; i < SLOTS; i++) {
		if (!slot[i])
			continue;
		shared(gnttab_entry_ref(slot[i]))->flags &= (uint16_t)~(GTF_reading | GTF_writing);
		revoke(gc, &slot[i], true);
		if (slot[i])
			abort();
	}
	if (gnttab_cache_destroy(gc))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint32_t r[4];
	xen_status rc;

	if (!page) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (page == MAP_FAILED)
			abort();
		page_pfn = (uint64_t)(uintptr_t)page >> 12;
	}
	sim_init(NULL);
	sim_gnttab_init();
	/* Xen's size answer, as it comes. */
	sim_gnttab_set_size(next(&in) % 4, next(&in) % 8 == 0 ? 0xffffffffu : next(&in) % 6);
	sim_gnttab_set_query_status(next(&in) % 16 == 0 ? GNTST_general_error : GNTST_okay);
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]))
		abort();
	rc = gnttab_init(NULL);
	if (rc == XEN_OK) {
		if (gnttab_max_frames() == 0 || gnttab_max_frames() > GNTTAB_MAX_FRAMES)
			abort();
		run(&in);
		if (gnttab_fini())
			abort();
	} else if (rc != -XEN_EIO && rc != -XEN_EINVAL) {
		abort();
	}
	hypercall_fini();
	sim_fini();
	return 0;
}
