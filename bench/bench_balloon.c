/* Balloon: pages per reservation hypercall (a ratio, printed with
 * bench_value) and instructions per page for inflate and deflate, against
 * the memory model (bookkeeping only, no page unmapping). The instruction
 * counts include the model's side of each hypercall and the model OS page
 * pool, which are small per page next to the balloon's own work. */
#include <stdint.h>
#include <stdlib.h>

#include "balloon.h"
#include "bench.h"
#include "hypercall.h"
#include "sim_memory.h"

#define RAM_PAGES 65536u	/* 256 MiB */
#define BALLOONED 60000u

static xen_status no_store(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	(void)ctx;
	(void)node;
	(void)buf;
	(void)size;
	(void)len;
	return -XEN_ENOENT;
}

static xen_status store_write(void *ctx, const char *node, const char *value)
{
	(void)ctx;
	(void)node;
	(void)value;
	return XEN_OK;
}

static const struct balloon_ops ops = { NULL, no_store, store_write, sim_memory_os_alloc,
					sim_memory_os_free };

static unsigned long calls(long cmd)
{
	return sim_calls(__HYPERVISOR_memory_op, cmd);
}

static void die(const char *what)
{
	fprintf(stderr, "bench_balloon: %s\n", what);
	exit(1);
}

static struct balloon *start(uint32_t shuffle)
{
	struct balloon_config c;
	struct balloon *b;
	uint32_t r[4];

	host_reset();
	sim_init(NULL);
	sim_memory_init(RAM_PAGES, 0);
	if (shuffle)
		sim_memory_os_shuffle(shuffle);
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]) != XEN_OK)
		die("hypercall_init");
	balloon_config_defaults(&c);
	c.budget_ns = 0;	/* one run to the target, whatever the machine */
	if (balloon_create(NULL, &ops, &c, &b) != XEN_OK)
		die("balloon_create");
	return b;
}

static void stop(struct balloon *b)
{
	if (balloon_destroy(b) != XEN_OK)
		die("balloon_destroy");
	hypercall_fini();
	sim_fini();
}

/* Inflate to BALLOONED and back, measuring both; `tag` names the case. */
static void round_trip(const char *tag, uint32_t shuffle)
{
	struct balloon *b = start(shuffle);
	struct balloon_stats st;
	char name[64];

	snprintf(name, sizeof(name), "balloon_inflate_%s", tag);
	bench_insn_begin();
	if (balloon_adjust(b, BALLOONED) != XEN_OK)
		die("inflate");
	bench_insn_end(name, BALLOONED, "insn/page");
	bench_value(name, (double)BALLOONED / (double)calls(XENMEM_decrease_reservation),
		    "pages/hypercall");
	balloon_get_stats(b, &st);
	snprintf(name, sizeof(name), "balloon_bookkeeping_%s", tag);
	bench_value(name, (double)st.bookkeeping_bytes / (double)BALLOONED, "bytes/page");

	snprintf(name, sizeof(name), "balloon_deflate_%s", tag);
	bench_insn_begin();
	if (balloon_adjust(b, 0) != XEN_OK)
		die("deflate");
	bench_insn_end(name, BALLOONED, "insn/page");
	bench_value(name, (double)BALLOONED / (double)calls(XENMEM_populate_physmap),
		    "pages/hypercall");
	stop(b);
}

/* Xen short of memory: each populate gets what another domain freed
 * meanwhile (300 pages per retry), as a deflate under pressure sees it. */
static void deflate_under_pressure(void)
{
	struct balloon *b = start(0);
	unsigned long before;
	xen_status st;

	if (balloon_adjust(b, BALLOONED) != XEN_OK)
		die("inflate");
	sim_memory_set_pool(0);
	before = calls(XENMEM_populate_physmap);
	do {
		sim_memory_set_pool(sim_memory_pool() + 300);
		st = balloon_adjust(b, 0);
	} while (st == -XEN_EAGAIN);
	if (st != XEN_OK)
		die("deflate under pressure");
	bench_value("balloon_deflate_pool_300",
		    (double)BALLOONED / (double)(calls(XENMEM_populate_physmap) - before),
		    "pages/hypercall");
	stop(b);
}

int main(void)
{
	round_trip("contiguous", 0);
	round_trip("scattered", 2024);
	deflate_under_pressure();
	return 0;
}
