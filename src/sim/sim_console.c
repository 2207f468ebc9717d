#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_console.h"

#define SIMCONS_OUT_MAX 65536

static struct {
	struct xencons_interface *ring;
	unsigned long kicks;
	bool auto_drain;
	char out[SIMCONS_OUT_MAX + 1];
	size_t out_len;
} cons;

static void sim_console_fini(void)
{
	free(cons.ring);
	memset(&cons, 0, sizeof(cons));
}

void sim_console_init(void)
{
	memset(&cons, 0, sizeof(cons));
	cons.ring = aligned_alloc(4096, 4096);
	if (!cons.ring)
		abort();
	memset(cons.ring, 0, 4096);
	sim_register_fini(sim_console_fini);
}

struct xencons_interface *sim_console_ring(void)
{
	return cons.ring;
}

uint64_t sim_console_pfn(void)
{
	return (uint64_t)(uintptr_t)cons.ring >> 12;
}

void sim_console_notify(void *ctx)
{
	(void)ctx;
	cons.kicks++;
	if (cons.auto_drain)
		sim_console_drain();
}

unsigned long sim_console_kicks(void)
{
	return cons.kicks;
}

void sim_console_set_auto_drain(bool on)
{
	cons.auto_drain = on;
}

static void sim_console_keep(char c)
{
	if (cons.out_len == SIMCONS_OUT_MAX) {
		memmove(cons.out, cons.out + SIMCONS_OUT_MAX / 2, SIMCONS_OUT_MAX / 2);
		cons.out_len = SIMCONS_OUT_MAX / 2;
	}
	cons.out[cons.out_len++] = c;
	cons.out[cons.out_len] = '\0';
}

size_t sim_console_drain(void)
{
	struct xencons_interface *r = cons.ring;
	XENCONS_RING_IDX c = r->out_cons, p = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	size_t n = 0;

	if (p - c > sizeof(r->out))
		return (size_t)-1;
	while (c != p) {
		sim_console_keep(r->out[MASK_XENCONS_IDX(c, r->out)]);
		c++;
		n++;
	}
	__atomic_store_n(&r->out_cons, c, __ATOMIC_RELEASE);
	return n;
}

const char *sim_console_output(void)
{
	return cons.out;
}

void sim_console_output_clear(void)
{
	cons.out_len = 0;
	cons.out[0] = '\0';
}

size_t sim_console_send(const void *data, size_t len)
{
	struct xencons_interface *r = cons.ring;
	XENCONS_RING_IDX c = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE), p = r->in_prod;
	const char *d = data;
	size_t n = 0;

	while (n < len && p - c < sizeof(r->in)) {
		r->in[MASK_XENCONS_IDX(p, r->in)] = d[n++];
		p++;
	}
	__atomic_store_n(&r->in_prod, p, __ATOMIC_RELEASE);
	return n;
}
