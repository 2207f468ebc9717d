/*
 * libFuzzer harness for the balloon: the input is a script of xenstore
 * values (memory/target, static-max, videoram, FIST keys: arbitrary bytes)
 * and hypervisor behaviour (partial results, refusals, results larger than
 * asked, negative results, a short OS, Xen out of memory), run against the
 * memory model with ballooned pages unmapped. After every step it checks
 * what must hold whatever the inputs: every page is either with the OS or
 * in the balloon, the OS is never handed an unpopulated page, the balloon
 * never releases a page the OS still has, and the size never passes what
 * static-max allows. At the end an honest Xen must let it deflate fully.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "balloon.h"
#include "hypercall.h"
#include "sim_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RAM_PAGES 1024
#define VALUE_MAX 40

struct value {
	char v[VALUE_MAX];
	size_t len;
	bool present;
	xen_status err;
};

enum { N_TARGET, N_MAX, N_VIDEO, N_FIST_IN, N_FIST_DE, N_NODES };

static const char *const names[N_NODES] = {
	BALLOON_TARGET_NODE, BALLOON_STATIC_MAX_NODE, BALLOON_VIDEORAM_NODE,
	BALLOON_FIST_INFLATION_NODE, BALLOON_FIST_DEFLATION_NODE,
};

static struct value nodes[N_NODES];

static xen_status f_read(void *ctx, const char *node, char *buf, size_t size, size_t *len)
{
	(void)ctx;
	for (int i = 0; i < N_NODES; i++) {
		if (strcmp(node, names[i]) != 0)
			continue;
		if (nodes[i].err)
			return nodes[i].err;
		if (!nodes[i].present)
			return -XEN_ENOENT;
		memcpy(buf, nodes[i].v, nodes[i].len < size ? nodes[i].len : size);
		*len = nodes[i].len;
		return XEN_OK;
	}
	abort();	/* the balloon read a node it has no business with */
}

static xen_status f_write(void *ctx, const char *node, const char *value)
{
	(void)ctx;
	if (strcmp(node, BALLOON_ACTIVE_NODE) != 0 ||
	    (strcmp(value, "0") != 0 && strcmp(value, "1") != 0))
		abort();
	return XEN_OK;
}

static const struct balloon_ops ops = { NULL, f_read, f_write, sim_memory_os_alloc,
					sim_memory_os_free };

struct script {
	const uint8_t *p;
	size_t left;
};

static unsigned take(struct script *s)
{
	if (!s->left)
		return 0;
	s->left--;
	return *s->p++;
}

static unsigned take16(struct script *s)
{
	unsigned lo = take(s);

	return lo | take(s) << 8;
}

static void set_value(struct script *s, struct value *v)
{
	unsigned len = take(s);

	v->err = 0;
	v->present = len != 0xff;
	if (len == 0xfe) {
		v->err = -XEN_EIO;
		return;
	}
	v->len = len % VALUE_MAX;
	for (size_t i = 0; i < v->len; i++)
		v->v[i] = (char)take(s);
}

static void check(struct balloon *b)
{
	struct sim_memory_stats ms;
	struct balloon_stats st;

	sim_memory_get_stats(&ms);
	balloon_get_stats(b, &st);
	if (ms.os_bad_frees || ms.foreign_frames)
		abort();
	if (sim_memory_os_free_pages() + balloon_size(b) != RAM_PAGES)
		abort();
	if (st.size != balloon_size(b) || st.size > RAM_PAGES)
		abort();
	/* What Xen took is at least what the balloon believes it holds
	 * beyond pages it kept conservatively (lies only ever err that way). */
	if (RAM_PAGES - sim_memory_tot_pages() + ms.repopulated > st.size)
		abort();
}

static void step(struct script *s, struct balloon *b)
{
	unsigned op = take(s) % 12;
	long cmd = take(s) & 1 ? XENMEM_populate_physmap : XENMEM_decrease_reservation;
	xen_status st;

	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3:
	case 4:
		set_value(s, &nodes[op]);
		break;
	case 5:
		st = balloon_target_changed(b);
		if (st != XEN_OK && st != -XEN_EAGAIN && st != -XEN_ENOMEM && st != -XEN_EIO)
			abort();
		break;
	case 6:
		st = balloon_adjust(b, take16(s) % (RAM_PAGES + 64));
		if (st != XEN_OK && st != -XEN_EAGAIN && st != -XEN_ENOMEM)
			abort();
		break;
	case 7:
		sim_memory_limit_next(cmd, take16(s) % 600);
		break;
	case 8:
		/* A result beyond what was asked (with any amount really done):
		 * the lie a guest can survive. (A negative result after doing
		 * nothing is case 9; a smaller count than done cannot be told
		 * from the truth.) */
		sim_memory_lie_next(cmd, BALLOON_BATCH_MAX + 1 + (long)take16(s));
		break;
	case 9:
		sim_fail(__HYPERVISOR_memory_op, cmd, 1 + take(s) % 130, 0, 1 + take(s) % 4);
		break;
	case 10:
		sim_memory_set_pool(take16(s) % (2 * RAM_PAGES));
		break;
	case 11:
		sim_memory_os_limit(take(s) & 1 ? SIZE_MAX : take16(s) % RAM_PAGES);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { data, size };
	struct balloon_config c;
	struct balloon *b;
	unsigned steps = 0;
	uint32_t r[4];

	memset(nodes, 0, sizeof(nodes));
	host_reset();
	host_time_virtual(true);
	sim_init(NULL);
	sim_memory_init(RAM_PAGES, SIM_MEMORY_PROTECT);
	sim_memory_set_pool(RAM_PAGES);
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]) != XEN_OK)
		abort();
	balloon_config_defaults(&c);
	c.batch = 1 + take(&s) % BALLOON_BATCH_MAX;
	if (balloon_create(NULL, &ops, &c, &b) != XEN_OK)
		abort();
	while (s.left && steps++ < 64) {
		step(&s, b);
		check(b);
	}
	/* An honest Xen with memory to spare: everything comes back. */
	sim_fail_clear();
	sim_memory_limit_next(XENMEM_populate_physmap, UINT32_MAX);
	sim_memory_lie_next(-1, 0);
	sim_memory_set_pool(4 * RAM_PAGES);
	sim_memory_set_max_pages(4 * RAM_PAGES);
	nodes[N_FIST_DE].present = false;
	nodes[N_FIST_DE].err = 0;
	if (balloon_adjust(b, 0) != XEN_OK || balloon_size(b) != 0)
		abort();
	check(b);
	if (sim_memory_os_free_pages() != RAM_PAGES)
		abort();
	if (balloon_destroy(b) != XEN_OK)
		abort();
	hypercall_fini();
	sim_fini();
	host_reset();
	if (host_live_allocations() != 0)
		abort();
	return 0;
}
