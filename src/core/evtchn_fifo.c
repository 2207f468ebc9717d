/*
 * FIFO event channel ABI (xen/event_channel.h): one event word per port in
 * guest pages handed to Xen with EVTCHNOP_expand_array, one control block
 * per vCPU (EVTCHNOP_init_control) with a ready bitmap and a queue head per
 * priority. Xen links pending ports into the queues; the guest consumes a
 * queue from its head, clearing LINKED and the link with one atomic update.
 *
 * Pages given to Xen are never returned to the OS: they are kept and reused
 * when the ABI is set up again after resume.
 */
#include "evtchn_abi.h"
#include "hypercall.h"

#define FIFO_WORDS_PER_PAGE (4096u / sizeof(event_word_t))
#define FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / FIFO_WORDS_PER_PAGE)
#define FIFO_QUEUE_MASK ((1u << EVTCHN_FIFO_MAX_QUEUES) - 1)
#define FIFO_P (1u << EVTCHN_FIFO_PENDING)
#define FIFO_M (1u << EVTCHN_FIFO_MASKED)
#define FIFO_L (1u << EVTCHN_FIFO_LINKED)
#define FIFO_B (1u << EVTCHN_FIFO_BUSY)

static struct {
	/* Kept for the life of the image. */
	event_word_t *pages[FIFO_MAX_PAGES];
	uint64_t pfns[FIFO_MAX_PAGES];
	struct evtchn_fifo_control_block *cb_pages[EVTCHN_MAX_CPUS];
	uint64_t cb_pfns[EVTCHN_MAX_CPUS];
	/* Current ABI instance. */
	unsigned npages;		/* pages Xen has */
	unsigned nwords;		/* npages * FIFO_WORDS_PER_PAGE, read by the upcall */
	struct evtchn_cpu *cpus;
	unsigned ncpu;
	os_spinlock lock;		/* array growth */
} fifo;

static inline event_word_t *fifo_word(evtchn_port_t port)
{
	return &fifo.pages[port / FIFO_WORDS_PER_PAGE][port % FIFO_WORDS_PER_PAGE];
}

static inline bool fifo_valid(evtchn_port_t port)
{
	return port < __atomic_load_n(&fifo.nwords, __ATOMIC_ACQUIRE);
}

static void fifo_mask(evtchn_port_t port)
{
	if (fifo_valid(port))
		__atomic_fetch_or(fifo_word(port), FIFO_M, __ATOMIC_SEQ_CST);
}

static void fifo_clear(evtchn_port_t port)
{
	if (fifo_valid(port))
		__atomic_fetch_and(fifo_word(port), ~FIFO_P, __ATOMIC_SEQ_CST);
}

static bool fifo_is_masked(evtchn_port_t port)
{
	return !fifo_valid(port) ||
	       (__atomic_load_n(fifo_word(port), __ATOMIC_SEQ_CST) & FIFO_M) != 0;
}

/* Xen holds BUSY only while it links a word. A word that stays BUSY (a
 * broken or hostile hypervisor state) must not spin us forever: after this
 * many attempts the port is left masked and Xen is asked to unmask it. */
#define FIFO_UNMASK_TRIES 1024

/* Clear MASKED unless PENDING; never while Xen holds BUSY (it is linking
 * the word). False when pending (or BUSY never cleared): the port stays
 * masked and the caller asks Xen (EVTCHNOP_unmask) to unmask and link it. */
static bool fifo_unmask(evtchn_port_t port)
{
	event_word_t *word, w, old;
	unsigned tries;

	if (!fifo_valid(port))
		return true;
	word = fifo_word(port);
	w = __atomic_load_n(word, __ATOMIC_SEQ_CST);
	for (tries = 0; tries < FIFO_UNMASK_TRIES; tries++) {
		if (!(w & FIFO_M))
			return true;
		if (w & FIFO_P)
			return false;
		old = w & ~FIFO_B;
		w = old;
		if (__atomic_compare_exchange_n(word, &w, old & ~FIFO_M, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

static void fifo_init_page(event_word_t *page)
{
	unsigned i;

	/* New ports start masked, unlinked, not pending. */
	for (i = 0; i < FIFO_WORDS_PER_PAGE; i++)
		page[i] = FIFO_M;
}

/* Give Xen one more event array page. Caller holds fifo.lock or is init. */
static xen_status fifo_expand(void)
{
	struct evtchn_expand_array expand;
	unsigned n = fifo.npages;
	xen_status rc;

	if (n == FIFO_MAX_PAGES)
		return -XEN_ENOSPC;
	if (!fifo.pages[n]) {
		fifo.pages[n] = os_page_alloc(&fifo.pfns[n]);
		if (!fifo.pages[n])
			return -XEN_ENOMEM;
	}
	fifo_init_page(fifo.pages[n]);
	expand = (struct evtchn_expand_array){ .array_gfn = fifo.pfns[n] };
	rc = evtchn_hypercall(EVTCHNOP_expand_array, &expand);
	if (rc)
		return rc;
	fifo.npages = n + 1;
	__atomic_store_n(&fifo.nwords, fifo.npages * FIFO_WORDS_PER_PAGE, __ATOMIC_RELEASE);
	return XEN_OK;
}

static xen_status fifo_port_setup(evtchn_port_t port)
{
	xen_status rc = XEN_OK;
	os_lock_state s;

	if (port >= EVTCHN_FIFO_NR_CHANNELS)
		return -XEN_ERANGE;
	s = os_spin_lock(&fifo.lock);
	while (rc == XEN_OK && port >= fifo.nwords)
		rc = fifo_expand();
	os_spin_unlock(&fifo.lock, s);
	return rc;
}

static xen_status fifo_init_cpu(unsigned cpu)
{
	struct evtchn_init_control init;
	struct evtchn_fifo_control_block *cb = fifo.cb_pages[cpu];
	xen_status rc;

	if (!cb) {
		cb = os_page_alloc(&fifo.cb_pfns[cpu]);
		if (!cb)
			return -XEN_ENOMEM;
		fifo.cb_pages[cpu] = cb;
	}
	__builtin_memset(cb, 0, 4096);
	init = (struct evtchn_init_control){
		.control_gfn = fifo.cb_pfns[cpu],
		.offset = 0,
		.vcpu = cpu,
	};
	rc = evtchn_hypercall(EVTCHNOP_init_control, &init);
	if (rc)
		return rc;
	fifo.cpus[cpu].fifo_cb = cb;
	__builtin_memset(fifo.cpus[cpu].fifo_head, 0, sizeof(fifo.cpus[cpu].fifo_head));
	return XEN_OK;
}

static void fifo_forget(void)
{
	unsigned i;

	for (i = 0; i < fifo.ncpu; i++)
		fifo.cpus[i].fifo_cb = NULL;
	fifo.npages = 0;
	__atomic_store_n(&fifo.nwords, 0, __ATOMIC_RELEASE);
	fifo.cpus = NULL;
	fifo.ncpu = 0;
}

static xen_status fifo_init(struct evtchn_cpu *cpus, unsigned ncpu)
{
	xen_status rc;
	unsigned i;

	os_spin_init(&fifo.lock);
	fifo.cpus = cpus;
	fifo.ncpu = ncpu;
	fifo.npages = 0;
	fifo.nwords = 0;
	for (i = 0; i < ncpu; i++) {
		rc = fifo_init_cpu(i);
		if (rc)
			goto fail;
	}
	rc = fifo_expand();
	if (rc)
		goto fail;
	return XEN_OK;
fail:
	/* Once one control block is in place Xen is in FIFO mode; only a
	 * reset takes it back to 2-level (keeping xenstore and console). */
	if (cpus[0].fifo_cb)
		(void)evtchn_xen_reset();
	fifo_forget();
	return rc;
}

static void fifo_fini(void)
{
	fifo_forget();
}

static void fifo_route(evtchn_port_t port, unsigned from, unsigned to)
{
	/* Xen queues on the notified vCPU: nothing to filter here. */
	(void)port;
	(void)from;
	(void)to;
}

static bool fifo_cpu_ok(unsigned cpu)
{
	return cpu < fifo.ncpu && fifo.cpus[cpu].fifo_cb != NULL;
}

/* Consume the head of queue q: one atomic update of its word clears LINKED
 * and the link and, when the event is to be delivered, acks it (and masks
 * it for mask-on-callback channels). */
static inline bool fifo_consume(struct evtchn_cpu *c, unsigned q, uint32_t *ready)
{
	uint32_t head = c->fifo_head[q];
	struct evtchn_channel *ch;
	event_word_t *word, w, n;
	bool deliver;

	if (head == 0) {
		/* Reached the tail last time: Xen wrote a new head. */
		rmb();
		head = __atomic_load_n(&c->fifo_cb->head[q], __ATOMIC_RELAXED);
	}
	if (unlikely(head == 0 || !fifo_valid(head))) {
		if (head)
			c->bad_port++;
		c->fifo_head[q] = 0;
		*ready &= ~(1u << q);
		return false;
	}
	word = fifo_word(head);
	ch = evtchn_lookup(head);
	w = __atomic_load_n(word, __ATOMIC_RELAXED);
	do {
		n = w & ~(FIFO_L | EVTCHN_FIFO_LINK_MASK);
		deliver = (w & (FIFO_P | FIFO_M)) == FIFO_P;
		if (deliver) {
			n &= ~FIFO_P;
			if (ch && ch->mask_on_cb)
				n |= FIFO_M;
		}
	} while (!__atomic_compare_exchange_n(word, &w, n, false, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	c->fifo_head[q] = w & EVTCHN_FIFO_LINK_MASK;
	if (!(w & EVTCHN_FIFO_LINK_MASK))
		*ready &= ~(1u << q);
	if (!deliver)
		return false;
	if (unlikely(!ch)) {
		c->unbound++;
		return false;
	}
	return evtchn_run(c, ch);
}

static bool fifo_poll(struct evtchn_cpu *c)
{
	struct evtchn_fifo_control_block *cb = c->fifo_cb;
	uint32_t ready;
	bool handled = false;

	if (unlikely(!cb))
		return false;
	ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST) & FIFO_QUEUE_MASK;
	while (ready) {
		/* Lowest queue number first: highest priority. */
		handled |= fifo_consume(c, (unsigned)__builtin_ctz(ready), &ready);
		ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST) & FIFO_QUEUE_MASK;
	}
	return handled;
}

const struct evtchn_abi_ops evtchn_fifo_ops = {
	.abi = EVTCHN_ABI_FIFO,
	.max_ports = EVTCHN_FIFO_NR_CHANNELS,
	.init = fifo_init,
	.fini = fifo_fini,
	.port_setup = fifo_port_setup,
	.route = fifo_route,
	.cpu_ok = fifo_cpu_ok,
	.mask = fifo_mask,
	.clear = fifo_clear,
	.unmask = fifo_unmask,
	.is_masked = fifo_is_masked,
	.poll = fifo_poll,
};
