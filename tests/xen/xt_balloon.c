/*
 * Suite "balloon": the core's balloon (balloon.h, balloon_store.h) follows
 * the target dom0 writes to memory/target (xl mem-set 12m, then 16m):
 * inflate by 4 MiB through XENMEM_decrease_reservation, deflate back
 * through XENMEM_populate_physmap. The guest reports the balloon size in kB
 * in data/xt-balloon ("ready" first); dom0 also checks xl list, then writes
 * data/xt-balloon-checked.
 */
#include "balloon.h"
#include "balloon_store.h"
#include "xt_env.h"

static bool checked(struct store *s)
{
	char *v = NULL;
	uint32_t len;
	bool done = store_read(s, NULL, NULL, "data/xt-balloon-checked", &v, &len) == XEN_OK;

	store_free(v);
	return done;
}

XT_SCENARIO(balloon, follows_memory_target)
{
	struct store *s = xt_store();
	struct balloon_ops ops = {
		.read = balloon_store_read, .write = balloon_store_write,
		.pages_alloc = xt_pages_alloc,
		.pages_free = xt_pages_free,
	};
	struct balloon *b = NULL;
	struct balloon_watch w;
	struct balloon_stats st;
	uint64_t deadline, reported = UINT64_MAX, max_size = 0, cur, max;
	os_event tick;

	XT_CHECK(s != NULL);
	ops.ctx = s;
	os_event_init(&tick);
	XT_CHECK_OK(balloon_create(NULL, &ops, NULL, &b));
	/* libxl gives a PVH guest no write access to control/feature-balloon
	 * (an HVM Windows guest gets it): the refusal is the daemon's. */
	XT_CHECK_EQ(balloon_advertise(b, true), -XEN_EACCES);
	XT_CHECK_OK(balloon_watch_start(&w, s, b, NULL, NULL));
	XT_CHECK_OK(store_write_str(s, NULL, NULL, "data/xt-balloon", "ready"));
	deadline = os_time_ns() + 60000ull * 1000 * 1000;
	while (!checked(s) && os_time_ns() < deadline) {
		uint64_t size = balloon_size(b);

		if (w.last == -XEN_EAGAIN || w.last == -XEN_ENOMEM)
			balloon_watch_retry(&w);
		if (size != reported) {
			XT_CHECK_OK(store_printf(s, NULL, NULL, "data/xt-balloon", "%lu",
						 (unsigned long)(size * 4)));
			reported = size;
		}
		if (size > max_size)
			max_size = size;
		xt_wait(&tick, 50);
	}
	XT_CHECK_OK(balloon_watch_stop(&w));
	balloon_get_stats(b, &st);
	XT_CHECK_OK(balloon_reservation(&cur, &max));
	xt_note("store errors %lu; static-max %lu kB: balloon up to %lu kB; inflated %lu, deflated %lu pages in "
		"%lu + %lu calls; Xen reservation %lu of %lu pages",
		(unsigned long)st.store_errors, (unsigned long)st.static_max_kib,
		(unsigned long)(max_size * 4),
		(unsigned long)st.inflated, (unsigned long)st.deflated,
		(unsigned long)st.decrease_calls, (unsigned long)st.populate_calls,
		(unsigned long)cur, (unsigned long)max);
	XT_CHECK(checked(s));
	XT_CHECK_EQ(max_size, 1024); /* 16 MiB -> 12 MiB */
	XT_CHECK_EQ(st.inflated, 1024);
	XT_CHECK_EQ(st.deflated, 1024);
	XT_CHECK_EQ(balloon_size(b), 0);
	XT_CHECK_EQ(st.bogus, 0);
	XT_CHECK_OK(balloon_destroy(b));
}
