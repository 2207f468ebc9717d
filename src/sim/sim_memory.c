#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim_memory.h"

#define SIM_MEM_EXTENTS_MAX (UINT32_MAX >> 6)	/* Xen: UINT_MAX >> MEMOP_EXTENT_SHIFT */

enum sim_os_state { SIM_OS_FREE, SIM_OS_TAKEN };

static struct {
	bool live;
	unsigned flags;
	uint8_t *ram;
	size_t pages;
	uint64_t first_pfn;
	bool *populated;
	uint8_t *os_state;
	size_t *os_free;	/* stack of free page indexes */
	size_t os_nfree;
	size_t os_limit;
	uint64_t pool;
	uint64_t max_pages;
	uint64_t tot_pages;
	long limit_cmd;
	unsigned long limit;
	long lie_cmd;
	long lie_rc;
	struct sim_memory_stats stats;
} sm;

static void sim_mem_fini(void)
{
	if (sm.ram)
		munmap(sm.ram, sm.pages * 4096);
	free(sm.populated);
	free(sm.os_state);
	free(sm.os_free);
	memset(&sm, 0, sizeof(sm));
}

/* Index of pfn in RAM, or -1. */
static long sim_mem_index(uint64_t pfn)
{
	if (pfn < sm.first_pfn || pfn - sm.first_pfn >= sm.pages)
		return -1;
	return (long)(pfn - sm.first_pfn);
}

static void sim_mem_unmap(size_t idx)
{
	void *page = sm.ram + idx * 4096;

	if (!(sm.flags & SIM_MEMORY_PROTECT))
		return;
	/* The page is gone: its contents with it, and any touch faults. */
	if (madvise(page, 4096, MADV_DONTNEED) || mprotect(page, 4096, PROT_NONE))
		abort();
}

static void sim_mem_map(size_t idx)
{
	void *page = sm.ram + idx * 4096;

	if (!(sm.flags & SIM_MEMORY_PROTECT))
		return;
	/* Mapped again; the earlier MADV_DONTNEED makes it read as zeroes. */
	if (mprotect(page, 4096, PROT_READ | PROT_WRITE))
		abort();
}

/* The extent limit of this call (sim_memory_limit_next). */
static unsigned long sim_mem_take_limit(long cmd, unsigned long n)
{
	if (sm.limit_cmd != cmd)
		return n;
	sm.limit_cmd = -1;
	return sm.limit < n ? sm.limit : n;
}

static bool sim_mem_decrease_one(uint64_t gmfn, unsigned order)
{
	uint64_t count = 1ull << order, j;
	long base = sim_mem_index(gmfn);

	if (base < 0 || (uint64_t)base + count > sm.pages)
		return false;
	for (j = 0; j < count; j++)
		if (!sm.populated[base + j])
			return false;
	for (j = 0; j < count; j++) {
		if (sm.os_state[base + j] == SIM_OS_FREE)
			sm.stats.foreign_frames++;
		sm.populated[base + j] = false;
		sim_mem_unmap((size_t)base + j);
	}
	sm.tot_pages -= count;
	sm.pool += count;
	sm.stats.decreased += count;
	return true;
}

static bool sim_mem_populate_one(uint64_t gpfn, unsigned order)
{
	uint64_t count = 1ull << order, j;
	long base = sim_mem_index(gpfn);

	if (base < 0 || (uint64_t)base + count > sm.pages || (gpfn & (count - 1)))
		return false;
	if (sm.pool < count || sm.tot_pages + count > sm.max_pages)
		return false;
	for (j = 0; j < count; j++) {
		if (sm.populated[base + j]) {
			/* Xen replaces the mapping; the old page stays charged. */
			sm.stats.repopulated++;
			continue;
		}
		sm.populated[base + j] = true;
		sim_mem_map((size_t)base + j);
	}
	sm.tot_pages += count;
	sm.pool -= count;
	sm.stats.populated += count;
	return true;
}

static long sim_mem_reservation(const uintptr_t args[5], bool populate)
{
	long cmd = (long)args[0];
	struct xen_memory_reservation *r = (void *)args[1];
	xen_pfn_t *list;
	unsigned long n, i, can;

	if (!r)
		return -XEN_EFAULT;
	if (populate)
		sm.stats.populate_calls++;
	else
		sm.stats.decrease_calls++;
	if (r->domid != DOMID_SELF && r->domid != sim_config()->domid)
		return -XEN_EPERM;
	n = r->nr_extents;
	if (n > SIM_MEM_EXTENTS_MAX || r->extent_order > SIM_MEMORY_DOMU_MAX_ORDER)
		return 0;
	list = r->extent_start.p;
	if (n && !list)
		return 0;
	can = sim_mem_take_limit(cmd, n);
	for (i = 0; i < can; i++) {
		bool ok = populate ? sim_mem_populate_one(list[i], r->extent_order)
				   : sim_mem_decrease_one(list[i], r->extent_order);
		if (!ok)
			break;
	}
	if (i < n)
		sm.stats.stopped++;
	if (sm.lie_cmd == cmd) {
		sm.lie_cmd = -1;
		return sm.lie_rc;
	}
	return (long)i;
}

static long sim_mem_decrease(const uintptr_t args[5])
{
	return sim_mem_reservation(args, false);
}

static long sim_mem_populate(const uintptr_t args[5])
{
	return sim_mem_reservation(args, true);
}

static long sim_mem_domain_query(const uintptr_t args[5])
{
	struct xen_memory_domain *d = (void *)args[1];

	if (!d)
		return -XEN_EFAULT;
	if (d->domid != DOMID_SELF && d->domid != sim_config()->domid)
		return -XEN_ESRCH;
	return (long)((long)args[0] == XENMEM_current_reservation ? sm.tot_pages : sm.max_pages);
}

void sim_memory_init(size_t pages, unsigned flags)
{
	size_t i;

	sim_mem_fini();
	sm.ram = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	sm.populated = calloc(pages, sizeof(*sm.populated));
	sm.os_state = calloc(pages, sizeof(*sm.os_state));
	sm.os_free = calloc(pages, sizeof(*sm.os_free));
	if (sm.ram == MAP_FAILED || !sm.populated || !sm.os_state || !sm.os_free)
		abort();
	sm.live = true;
	sm.flags = flags;
	sm.pages = pages;
	sm.first_pfn = (uint64_t)(uintptr_t)sm.ram >> 12;
	for (i = 0; i < pages; i++) {
		sm.populated[i] = true;
		/* Popped from the end: the OS hands out ascending frames. */
		sm.os_free[i] = pages - 1 - i;
	}
	sm.os_nfree = pages;
	sm.os_limit = SIZE_MAX;
	sm.tot_pages = pages;
	sm.max_pages = pages;
	sm.limit_cmd = -1;
	sm.lie_cmd = -1;
	sim_register_hypercall_cmd(__HYPERVISOR_memory_op, XENMEM_decrease_reservation,
				   sim_mem_decrease);
	sim_register_hypercall_cmd(__HYPERVISOR_memory_op, XENMEM_populate_physmap,
				   sim_mem_populate);
	sim_register_hypercall_cmd(__HYPERVISOR_memory_op, XENMEM_current_reservation,
				   sim_mem_domain_query);
	sim_register_hypercall_cmd(__HYPERVISOR_memory_op, XENMEM_maximum_reservation,
				   sim_mem_domain_query);
	sim_register_fini(sim_mem_fini);
}

void sim_memory_set_pool(uint64_t pages)
{
	sm.pool = pages;
}

uint64_t sim_memory_pool(void)
{
	return sm.pool;
}

void sim_memory_set_max_pages(uint64_t pages)
{
	sm.max_pages = pages;
}

uint64_t sim_memory_tot_pages(void)
{
	return sm.tot_pages;
}

bool sim_memory_is_populated(uint64_t pfn)
{
	long idx = sim_mem_index(pfn);

	return idx >= 0 && sm.populated[idx];
}

uint64_t sim_memory_first_pfn(void)
{
	return sm.first_pfn;
}

size_t sim_memory_ram_pages(void)
{
	return sm.pages;
}

void sim_memory_get_stats(struct sim_memory_stats *out)
{
	*out = sm.stats;
}

void sim_memory_limit_next(long cmd, unsigned long limit)
{
	sm.limit_cmd = cmd;
	sm.limit = limit;
}

void sim_memory_lie_next(long cmd, long rc)
{
	sm.lie_cmd = cmd;
	sm.lie_rc = rc;
}

/* ---- the guest OS's free pages ---- */

size_t sim_memory_os_alloc(void *ctx, uint64_t *pfns, size_t n)
{
	(void)ctx;
	size_t got = 0;

	while (got < n && sm.os_nfree > 0 && sm.os_limit > 0) {
		size_t idx = sm.os_free[--sm.os_nfree];

		sm.os_state[idx] = SIM_OS_TAKEN;
		/* Touch it as the OS would (it is populated, so mapped). */
		sm.ram[idx * 4096] = 0xa5;
		pfns[got++] = sm.first_pfn + idx;
		if (sm.os_limit != SIZE_MAX)
			sm.os_limit--;
	}
	return got;
}

void sim_memory_os_free(void *ctx, const uint64_t *pfns, size_t n)
{
	(void)ctx;
	size_t i;

	for (i = 0; i < n; i++) {
		long idx = sim_mem_index(pfns[i]);

		if (idx < 0 || sm.os_state[idx] != SIM_OS_TAKEN || !sm.populated[idx]) {
			sm.stats.os_bad_frees++;
			continue;
		}
		/* Touch it as the OS would: faults if it is not really there. */
		sm.ram[(size_t)idx * 4096 + 1] = 0x5a;
		sm.os_state[idx] = SIM_OS_FREE;
		sm.os_free[sm.os_nfree++] = (size_t)idx;
	}
}

void sim_memory_os_limit(size_t n)
{
	sm.os_limit = n;
}

size_t sim_memory_os_free_pages(void)
{
	return sm.os_nfree;
}

void sim_memory_os_shuffle(uint32_t seed)
{
	size_t i;
	uint32_t x = seed ? seed : 1;

	for (i = sm.os_nfree; i > 1; i--) {
		size_t j, t;

		/* xorshift32: reproducible without libc rand state. */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		j = x % i;
		t = sm.os_free[i - 1];
		sm.os_free[i - 1] = sm.os_free[j];
		sm.os_free[j] = t;
	}
}
