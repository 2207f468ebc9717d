/* Instructions per get+put on the allocators' fast paths: a cache object,
 * a grant entry (permit + revoke through an entry cache), and a single
 * reference from a range_set (the slow path's allocator). */
#include <stdlib.h>

#include "bench.h"
#include "cache.h"
#include "gnttab.h"
#include "hypercall.h"
#include "range_set.h"
#include "sim_gnttab.h"

#define OPS 100000UL

static void die(const char *what)
{
	fprintf(stderr, "bench_alloc: %s\n", what);
	exit(1);
}

static void bench_cache(void)
{
	struct cache_params p = { .name = "bench", .size = 64 };
	struct cache *c;
	unsigned long i;
	void *o;

	if (cache_create(&p, &c))
		die("cache_create");
	cache_put(c, cache_get(c, false), false);	/* warm the magazine */
	bench_insn_begin();
	for (i = 0; i < OPS; i++) {
		o = cache_get(c, false);
		cache_put(c, o, false);
	}
	bench_insn_end("cache_get_put", OPS, "insn/get+put");
	if (cache_destroy(c))
		die("cache_destroy");
}

static void bench_gnttab(void)
{
	struct gnttab_cache *gc;
	struct gnttab_entry *e;
	unsigned long i;
	uint32_t r[4];
	xen_status rc = XEN_OK;

	sim_init(NULL);
	sim_gnttab_init();
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]) || gnttab_init(NULL))
		die("gnttab_init");
	if (gnttab_cache_create("bench", 0, 0, NULL, NULL, NULL, &gc))
		die("gnttab_cache_create");
	if (gnttab_permit_foreign_access(gc, false, 0, 0x1234, false, &e) ||
	    gnttab_revoke_foreign_access(gc, false, e))
		die("warm-up");
	bench_insn_begin();
	for (i = 0; i < OPS; i++) {
		rc |= gnttab_permit_foreign_access(gc, false, 0, 0x1234, false, &e);
		rc |= gnttab_revoke_foreign_access(gc, false, e);
	}
	bench_insn_end("gnttab_entry_get_put", OPS, "insn/permit+revoke");
	if (rc || gnttab_cache_destroy(gc) || gnttab_fini())
		die("gnttab");
	hypercall_fini();
	sim_fini();
}

/* The loop above with empty calls of the same shape: what of its count is
 * the benchmark's own argument set-up, calls and checks. */
static __attribute__((noinline)) xen_status empty_permit(struct gnttab_cache *gc, bool locked,
							  domid_t domid, uint64_t pfn,
							  bool readonly, struct gnttab_entry **out)
{
	__asm__ volatile("" : : "r"(gc), "r"(locked), "r"(domid), "r"(pfn), "r"(readonly), "r"(out));
	return XEN_OK;
}

static __attribute__((noinline)) xen_status empty_revoke(struct gnttab_cache *gc, bool locked,
							  struct gnttab_entry *entry)
{
	__asm__ volatile("" : : "r"(gc), "r"(locked), "r"(entry));
	return XEN_OK;
}

static void bench_harness(void)
{
	struct gnttab_entry *e = NULL;
	unsigned long i;
	xen_status rc = XEN_OK;

	bench_insn_begin();
	for (i = 0; i < OPS; i++) {
		rc |= empty_permit(NULL, false, 0, 0x1234, false, &e);
		rc |= empty_revoke(NULL, false, e);
	}
	bench_insn_end("gnttab_entry_get_put_harness", OPS, "insn/empty-call-pair");
	if (rc)
		die("harness");
}

static void bench_range_set(void)
{
	struct range_set *s;
	unsigned long i;
	int64_t at = 0;
	xen_status rc = XEN_OK;

	if (range_set_create("bench", &s) || range_set_put(s, 32, 480 * 64))
		die("range_set");
	bench_insn_begin();
	for (i = 0; i < OPS; i++) {
		rc |= range_set_pop(s, 1, &at);
		rc |= range_set_put(s, at, 1);
	}
	bench_insn_end("range_set_pop_put", OPS, "insn/pop+put");
	if (rc)
		die("range_set ops");
	range_set_destroy(s);
}

int main(void)
{
	bench_cache();
	bench_gnttab();
	bench_harness();
	bench_range_set();
	return 0;
}
