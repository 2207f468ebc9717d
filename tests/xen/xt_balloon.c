/*
 * Suite "balloon": inflate and deflate to the target dom0 writes to
 * memory/target (xl mem-set), watched through the core's store client.
 * There is no balloon module in the core yet: the scenario does the
 * XENMEM_decrease_reservation / XENMEM_populate_physmap itself on pages of
 * the kernel's heap, so it checks the hypervisor and toolstack side and the
 * store watch, not a core balloon. Progress for dom0 in data/xt-balloon
 * (kB ballooned out, "ready" at the start).
 */
#include "xt_env.h"

#define BALLOON_MAX_PAGES 2048

static uint64_t pfns[BALLOON_MAX_PAGES];
static void *vas[BALLOON_MAX_PAGES];
static unsigned held;

static long reservation(unsigned cmd, xen_pfn_t *frames, unsigned n)
{
	struct xen_memory_reservation r = {
		.nr_extents = n, .extent_order = 0, .domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, frames);
	return hypercall_memory_op(cmd, &r);
}

/* Give `n` heap pages back to Xen. Returns how many went. */
static unsigned inflate(unsigned n)
{
	static xen_pfn_t batch[256];
	unsigned done = 0;

	while (done < n && held < BALLOON_MAX_PAGES) {
		unsigned k = 0, i;
		long rc;

		while (k < 256 && done + k < n && held + k < BALLOON_MAX_PAGES) {
			uint64_t pfn;
			void *va = os_page_alloc(&pfn);

			if (!va)
				break;
			vas[held + k] = va;
			pfns[held + k] = pfn;
			batch[k++] = pfn;
		}
		if (!k)
			break;
		rc = reservation(XENMEM_decrease_reservation, batch, k);
		if (rc < 0)
			rc = 0;
		/* Pages Xen did not take stay ours. */
		for (i = (unsigned)rc; i < k; i++)
			os_page_free(vas[held + i]);
		held += (unsigned)rc;
		done += (unsigned)rc;
		if ((unsigned)rc < k)
			break;
	}
	return done;
}

/* Take `n` pages back from Xen into the heap. Returns how many came. */
static unsigned deflate(unsigned n)
{
	static xen_pfn_t batch[256];
	unsigned done = 0;

	while (done < n && held) {
		unsigned k = 0, i;
		long rc;

		while (k < 256 && done + k < n && k < held) {
			batch[k] = pfns[held - 1 - k];
			k++;
		}
		rc = reservation(XENMEM_populate_physmap, batch, k);
		if (rc <= 0)
			break;
		for (i = 0; i < (unsigned)rc; i++) {
			held--;
			os_page_free(vas[held]);
		}
		done += (unsigned)rc;
	}
	return done;
}

static xen_status read_kb(struct store *s, const char *node, uint64_t *kb)
{
	char *v = NULL;
	uint32_t len, i;
	xen_status rc = store_read(s, NULL, NULL, node, &v, &len);

	if (rc)
		return rc;
	*kb = 0;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9' || i > 15) {
			rc = -XEN_EINVAL;
			break;
		}
		*kb = *kb * 10 + (uint64_t)(v[i] - '0');
	}
	store_free(v);
	return len ? rc : -XEN_EINVAL;
}

XT_SCENARIO(balloon, follows_memory_target)
{
	struct store *s = xt_store();
	struct store_watch *w = NULL;
	uint64_t start_kb, target_kb, deadline;
	unsigned inflated = 0, deflated = 0, max_out = 0;
	os_event ev;

	XT_CHECK(s != NULL);
	XT_CHECK_OK(read_kb(s, "memory/target", &start_kb));
	os_event_init(&ev);
	XT_CHECK_OK(store_watch_add(s, NULL, "memory/target", NULL, NULL, &ev, &w));
	XT_CHECK_OK(store_write_str(s, NULL, NULL, "data/xt-balloon", "ready"));
	deadline = os_time_ns() + 60000ull * 1000 * 1000;
	/* Follow the target until dom0 has taken memory and given it back. */
	while (os_time_ns() < deadline && !(inflated && held == 0 && deflated)) {
		uint64_t want_out;

		if (!xt_wait(&ev, 1000))
			continue;
		os_event_reset(&ev);
		XT_CHECK_OK(read_kb(s, "memory/target", &target_kb));
		want_out = target_kb < start_kb ? (start_kb - target_kb) / 4 : 0;
		if (want_out > held)
			inflated += inflate((unsigned)(want_out - held));
		else if (want_out < held)
			deflated += deflate((unsigned)(held - want_out));
		if (held > max_out)
			max_out = held;
		XT_CHECK_EQ(held, want_out);
		XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-balloon", "%u", held * 4));
	}
	XT_CHECK_OK(store_watch_remove(s, w));
	XT_CHECK(inflated > 0 && deflated == inflated && held == 0);
	/* Stay until dom0 has checked the last step. */
	deadline = os_time_ns() + 20000ull * 1000 * 1000;
	for (;;) {
		char *v = NULL;
		uint32_t len;
		bool done = store_read(s, NULL, NULL, "data/xt-balloon-checked", &v, &len) == XEN_OK;

		store_free(v);
		if (done || os_time_ns() > deadline)
			break;
		xt_wait(&ev, 20);
	}
	xt_note("start %lu kB: ballooned out up to %u kB, all back", (unsigned long)start_kb,
		max_out * 4);
}
