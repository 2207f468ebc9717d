/* Event channels against hostile shared state: the input is a script of
 * writes to what Xen shares with the guest (2-level bitmaps and selectors,
 * FIFO event words, ready bits and queue heads) mixed with upcalls and core
 * calls (unmask, mask, send, trigger, bind, close and re-open). The upcall
 * must terminate, call only open channels with their own argument, never a
 * channel after evtchn_close returned, and leak nothing. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "evtchn.h"
#include "shared_info.h"
#include "sim_evtchn.h"
/* The unit tests' set-up (tests/unit/lib is not in the fuzz library). */
#include "evtchn_fixture.c"

#define NCH 8

struct slot {
	struct evtchn_channel *ch;
	unsigned calls;
};

static struct slot slots[NCH];

static bool on_event(void *arg)
{
	struct slot *s = arg;

	/* Never after close, never with another channel's argument. */
	if (s < slots || s >= slots + NCH || !s->ch)
		abort();
	s->calls++;
	return true;
}

static uint32_t take32(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;
	unsigned i;

	for (i = 0; i < 4 && *p < end; i++)
		v |= (uint32_t)*(*p)++ << (8 * i);
	return v;
}

static void open_slot(unsigned i, bool mask_on_cb)
{
	if (evtchn_open_unbound(0, mask_on_cb, on_event, &slots[i], &slots[i].ch) != XEN_OK)
		abort();
	if (!sim_evtchn_remote_bind(0, evtchn_port(slots[i].ch)))
		abort();
}

static void close_slot(unsigned i)
{
	struct evtchn_channel *ch = slots[i].ch;

	slots[i].ch = NULL;	/* before: a callback racing the close aborts */
	evtchn_close(ch);
}

static void hostile_write(bool fifo, unsigned idx, uint32_t v, unsigned what)
{
	struct shared_info *si = sim_shared_info();
	struct evtchn_fifo_control_block *cb = sim_evtchn_fifo_control_block(idx & 1);
	event_word_t *w;

	if (!fifo) {
		xen_ulong_t x = (xen_ulong_t)v * 0x9e3779b97f4a7c15ull;

		if (what == 0)
			si->evtchn_pending[idx % 64] = x;
		else if (what == 1)
			si->evtchn_mask[idx % 64] = x;
		else
			si->vcpu_info[idx & 1].evtchn_pending_sel = x;
		return;
	}
	if (what == 0) {
		w = sim_evtchn_fifo_word(idx % 1024);
		if (w)
			*w = v;
	} else if (cb && what == 1) {
		cb->ready = v;
	} else if (cb) {
		cb->head[idx % EVTCHN_FIFO_MAX_QUEUES] = v;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct evtchn_fixture_opts opts = { .vcpus = 2, .all_cpus_upcall = true };
	bool fifo;
	unsigned i;

	if (size < 1)
		return 0;
	fifo = !(*p & 1);
	opts.force_2level = !fifo;
	if (evtchn_fixture_up(&opts) != XEN_OK)
		abort();
	for (i = 0; i < NCH; i++) {
		slots[i] = (struct slot){ 0 };
		open_slot(i, (*p >> (i % 8)) & 1);
	}
	p++;
	while (p < end) {
		uint8_t op = *p++;
		unsigned idx = op >> 4;
		struct slot *s = &slots[idx % NCH];

		switch (op & 15) {
		case 0: case 1: case 2:
			hostile_write(fifo, idx | (p < end ? *p++ : 0) << 4, take32(&p, end), op & 3);
			break;
		case 3:
			sim_shared_info()->vcpu_info[idx & 1].evtchn_upcall_pending = 1;
			evtchn_upcall(idx & 1);
			break;
		case 4:
			sim_deliver();
			break;
		case 5:
			if (s->ch)
				evtchn_unmask(s->ch, idx & 1, idx & 2);
			break;
		case 6:
			if (s->ch)
				evtchn_mask(s->ch);
			break;
		case 7:
			if (s->ch)
				sim_evtchn_remote_send(evtchn_port(s->ch));
			break;
		case 8:
			if (s->ch)
				evtchn_send(s->ch);
			break;
		case 9:
			if (s->ch)
				evtchn_trigger(s->ch);
			break;
		case 10:
			if (s->ch)
				evtchn_bind_cpu(s->ch, idx & 1);
			break;
		case 11:
			if (s->ch)
				close_slot(idx % NCH);
			else
				open_slot(idx % NCH, idx & 8);
			break;
		case 12:
			host_run_work();
			break;
		default:
			break;
		}
	}
	for (i = 0; i < NCH; i++)
		if (slots[i].ch)
			close_slot(i);
	evtchn_fixture_down();
	return 0;
}
