/* cache: lazy construction, client locks, cap, reclaim, allocation and
 * constructor failure, many CPUs (simulated and real threads). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "cache.h"
#include "host.h"

struct client {
	unsigned ctors;
	unsigned dtors;
	unsigned locks;
	unsigned unlocks;
	bool held;		/* client lock held (by the cache or the test) */
	bool ctor_unlocked;	/* a ctor/dtor ran without the client lock */
	unsigned fail_ctor;	/* fail the next N constructions */
	size_t size;
};

#define MAGIC 0xC0FFEE11u

static xen_status ctor(void *arg, void *object)
{
	struct client *cl = arg;

	if (!cl->held)
		cl->ctor_unlocked = true;
	if (cl->fail_ctor) {
		cl->fail_ctor--;
		return -XEN_ENOMEM;
	}
	memset(object, 0x5a, cl->size);
	*(uint32_t *)object = MAGIC;
	cl->ctors++;
	return XEN_OK;
}

static void dtor(void *arg, void *object)
{
	struct client *cl = arg;

	if (!cl->held)
		cl->ctor_unlocked = true;
	assert_int_equal(*(uint32_t *)object, MAGIC);
	*(uint32_t *)object = 0;
	cl->dtors++;
}

static void lock(void *arg)
{
	struct client *cl = arg;

	assert_false(cl->held);
	cl->held = true;
	cl->locks++;
}

static void unlock(void *arg)
{
	struct client *cl = arg;

	assert_true(cl->held);
	cl->held = false;
	cl->unlocks++;
}

static struct cache_params params(struct client *cl, size_t size, unsigned reservation,
				  unsigned cap)
{
	cl->size = size;
	return (struct cache_params){
		.name = "test_cache", .size = size, .reservation = reservation, .cap = cap,
		.ctor = ctor, .dtor = dtor, .acquire_lock = lock, .release_lock = unlock,
		.arg = cl,
	};
}

static int setup(void **state)
{
	(void)state;
	host_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	host_reset();
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static void create_validates(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 16, 0, 0);
	struct cache *c;

	(void)state;
	p.size = 0;
	assert_int_equal(cache_create(&p, &c), -XEN_EINVAL);
	p.size = CACHE_MAX_OBJECT_SIZE + 1;
	assert_int_equal(cache_create(&p, &c), -XEN_EINVAL);
	p = params(&cl, 16, 5, 4);
	assert_int_equal(cache_create(&p, &c), -XEN_EINVAL);
	p = params(&cl, 16, 0, 0);
	p.release_lock = NULL;
	assert_int_equal(cache_create(&p, &c), -XEN_EINVAL);
	p = params(&cl, 16, 4, 4);
	p.name = "a_rather_long_cache_name_that_gets_truncated";
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	assert_int_equal(strlen(cache_name(c)), 31);
	assert_int_equal(cache_destroy(c), XEN_OK);
}

static void construction_is_lazy_and_sticky(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 24, 100, 0);
	struct cache_stats st;
	struct cache *c;
	void *a, *b;

	(void)state;
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	cache_get_stats(c, &st);
	assert_true(st.capacity >= 100);
	assert_int_equal(st.in_use, 0);
	assert_int_equal(cl.ctors, 0);	/* reservation allocates, never constructs */
	a = cache_get(c, false);
	assert_non_null(a);
	assert_int_equal((uintptr_t)a % 8, 0);
	assert_int_equal(*(uint32_t *)a, MAGIC);
	assert_int_equal(cl.ctors, 1);
	assert_int_equal(cl.locks, 1);
	assert_int_equal(cl.unlocks, 1);
	((char *)a)[4] = 'x';	/* client state survives put/get */
	cache_put(c, a, false);
	b = cache_get(c, false);
	assert_ptr_equal(a, b);	/* from the magazine */
	assert_int_equal(((char *)b)[4], 'x');
	assert_int_equal(cl.ctors, 1);
	assert_int_equal(cl.locks, 1);	/* fast path: no client lock */
	/* Caller already holds its lock: the cache must not take it. */
	cl.held = true;
	a = cache_get(c, true);
	assert_non_null(a);
	assert_int_equal(cl.ctors, 2);
	assert_int_equal(cl.locks, 1);
	cache_put(c, a, true);
	cl.held = false;
	cache_put(c, b, false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.dtors, 2);	/* only constructed objects */
	assert_int_equal(cl.locks, cl.unlocks);
	assert_false(cl.ctor_unlocked);
}

static void cap_limits_objects_out(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 8, 0, 5);
	void *o[6];
	struct cache *c;
	unsigned i;

	(void)state;
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	for (i = 0; i < 5; i++) {
		o[i] = cache_get(c, false);
		assert_non_null(o[i]);
	}
	assert_null(cache_get(c, false));
	cache_put(c, o[4], false);
	o[4] = cache_get(c, false);
	assert_non_null(o[4]);
	for (i = 0; i < 5; i++)
		cache_put(c, o[i], false);
	assert_int_equal(cache_destroy(c), XEN_OK);
}

static void cap_reached_steals_from_other_magazines(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 8, 0, 4);
	struct cache_stats st;
	void *o[4];
	struct cache *c;
	unsigned i;

	(void)state;
	host_set_cpu_count(4);
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	host_set_cpu(2);
	for (i = 0; i < 4; i++)
		o[i] = cache_get(c, false);
	for (i = 0; i < 4; i++)
		cache_put(c, o[i], false);	/* all parked on CPU 2 */
	cache_get_stats(c, &st);
	assert_int_equal(st.in_magazines, 4);
	host_set_cpu(0);
	for (i = 0; i < 4; i++) {
		o[i] = cache_get(c, false);
		assert_non_null(o[i]);
	}
	assert_null(cache_get(c, false));
	assert_int_equal(cl.ctors, 4);
	for (i = 0; i < 4; i++)
		cache_put(c, o[i], false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.dtors, 4);
}

static void ctor_failure_returns_null_and_slot(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 32, 0, 1);
	struct cache_stats st;
	struct cache *c;
	void *a;

	(void)state;
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	cl.fail_ctor = 1;
	assert_null(cache_get(c, false));
	cache_get_stats(c, &st);
	assert_int_equal(st.in_use, 0);	/* the slot went back: the cap is not eaten */
	a = cache_get(c, false);
	assert_non_null(a);
	assert_int_equal(cl.ctors, 1);
	cache_put(c, a, false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.dtors, 1);
	assert_int_equal(cl.locks, cl.unlocks);
}

static void allocation_failure(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 1000, 50, 0);	/* 3 per slab */
	struct cache_stats st;
	struct cache *c;
	void *o[20];
	unsigned i, got = 0;

	(void)state;
	host_alloc_fail(5, 1);	/* cache, magazines, then slabs: one slab fails */
	assert_int_equal(cache_create(&p, &c), -XEN_ENOMEM);
	assert_int_equal(host_live_allocations(), 0);
	p = params(&cl, 1000, 0, 0);
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	host_alloc_fail(1, 1000);	/* one more slab, then nothing */
	for (i = 0; i < 20; i++) {
		o[i] = cache_get(c, false);
		got += o[i] != NULL;
	}
	host_alloc_fail(0, 0);
	cache_get_stats(c, &st);
	assert_int_equal(st.slabs, 1);
	assert_true(got > 1);
	assert_int_equal(got, st.capacity);
	for (i = 0; i < 20; i++)
		if (o[i])
			cache_put(c, o[i], false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.ctors, got);
	assert_int_equal(cl.dtors, got);
}

static void destroy_with_objects_out_is_refused(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 8, 0, 0);
	struct cache *c;
	void *a;

	(void)state;
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	a = cache_get(c, false);
	assert_int_equal(cache_destroy(c), -XEN_EBUSY);
	assert_int_equal(cl.dtors, 0);
	cache_put(c, a, false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.dtors, 1);
}

static void reclaim_trims_idle_slabs_to_reservation(void **state)
{
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 4096, 3, 0);	/* one object per slab */
	struct cache_stats st;
	static void *o[64];
	struct cache *c;
	unsigned i;

	(void)state;
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	for (i = 0; i < 64; i++)
		assert_non_null(o[i] = cache_get(c, false));
	for (i = 0; i < 64; i++)
		cache_put(c, o[i], false);
	cache_get_stats(c, &st);
	assert_int_equal(st.capacity, 64);
	assert_int_equal(st.slabs, 64);
	assert_int_equal(st.in_magazines, CACHE_MAGAZINE_SLOTS);
	o[0] = cache_get(c, false);	/* one stays out across reclaims */
	cache_reclaim(c);	/* idle 63 -> keeps half */
	cache_get_stats(c, &st);
	assert_int_equal(st.in_magazines, 0);
	assert_int_equal(st.in_use, 1);
	assert_int_equal(st.capacity, 1 + 31);
	assert_int_equal(cl.dtors, 32);
	for (i = 0; i < 10; i++)
		cache_reclaim(c);
	cache_get_stats(c, &st);
	assert_int_equal(st.capacity, 3);	/* the reservation */
	assert_int_equal(cl.dtors, 61);
	assert_int_equal(cl.locks, cl.unlocks);
	assert_false(cl.ctor_unlocked);
	cache_put(c, o[0], false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.dtors, 64);
	assert_int_equal(cl.ctors, 64);
}

/* Many simulated CPUs: random get/put, objects never shared. */
static void many_cpus_random(void **state)
{
	enum { CPUS = 16, OUT = 300 };
	struct client cl = { 0 };
	struct cache_params p = params(&cl, 40, 0, 0);
	struct cache_stats st;
	static void *out[OUT];
	unsigned i, held = 0;
	uint64_t r = 88172645463325252ull;
	struct cache *c;

	(void)state;
	host_set_cpu_count(CPUS);
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	memset(out, 0, sizeof(out));
	for (i = 0; i < 20000; i++) {
		unsigned slot;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;
		host_set_cpu((unsigned)(r % CPUS));
		slot = (unsigned)((r >> 8) % OUT);
		if (out[slot]) {
			assert_int_equal(((uint32_t *)out[slot])[1], slot);
			cache_put(c, out[slot], (r >> 20) & 1);
			out[slot] = NULL;
			held--;
		} else {
			out[slot] = cache_get(c, false);
			assert_non_null(out[slot]);
			((uint32_t *)out[slot])[1] = slot;	/* detects sharing */
			held++;
		}
		if (i % 1000 == 0) {
			cache_get_stats(c, &st);
			assert_int_equal(st.in_use, held + st.in_magazines);
			assert_true(st.in_magazines <= CPUS * CACHE_MAGAZINE_SLOTS);
		}
		if (i % 5000 == 4999)
			cache_reclaim(c);
	}
	for (i = 0; i < OUT; i++)
		if (out[i])
			cache_put(c, out[i], false);
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(cl.ctors, cl.dtors);
}

/* Real threads, several on the same CPU index (as if preempted). */
struct worker {
	struct cache *c;
	unsigned cpu;
	unsigned id;
	unsigned failures;
};

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	void *mine[8];
	unsigned i, k;

	host_set_cpu(w->cpu);
	for (i = 0; i < 4000; i++) {
		for (k = 0; k < 1 + i % 8; k++) {
			mine[k] = cache_get(w->c, false);
			if (!mine[k]) {
				w->failures++;
				return NULL;
			}
			((uint32_t *)mine[k])[1] = w->id;
		}
		while (k--) {
			if (((uint32_t *)mine[k])[1] != w->id)
				w->failures++;
			cache_put(w->c, mine[k], false);
		}
	}
	return NULL;
}

static pthread_mutex_t client_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned mt_ctors, mt_dtors;
static xen_status mt_ctor(void *arg, void *object)
{
	(void)arg;
	(void)object;
	mt_ctors++;	/* under the client lock */
	return XEN_OK;
}
static void mt_dtor(void *arg, void *object)
{
	(void)arg;
	(void)object;
	mt_dtors++;
}
static void mt_lock(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&client_mutex);
}
static void mt_unlock(void *arg)
{
	(void)arg;
	pthread_mutex_unlock(&client_mutex);
}

static void threads_share_cpus(void **state)
{
	enum { THREADS = 6 };
	struct cache_params p = {
		.name = "mt", .size = 16, .ctor = mt_ctor, .dtor = mt_dtor,
		.acquire_lock = mt_lock, .release_lock = mt_unlock,
	};
	struct worker w[THREADS];
	pthread_t t[THREADS];
	struct cache *c;
	unsigned i;

	(void)state;
	host_set_cpu_count(3);
	assert_int_equal(cache_create(&p, &c), XEN_OK);
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .c = c, .cpu = i % 3, .id = i + 1 };
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].failures, 0);
	}
	assert_int_equal(cache_destroy(c), XEN_OK);
	assert_int_equal(mt_ctors, mt_dtors);
	assert_true(mt_ctors >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_validates, setup, teardown),
		cmocka_unit_test_setup_teardown(construction_is_lazy_and_sticky, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_limits_objects_out, setup, teardown),
		cmocka_unit_test_setup_teardown(cap_reached_steals_from_other_magazines, setup, teardown),
		cmocka_unit_test_setup_teardown(ctor_failure_returns_null_and_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(allocation_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(destroy_with_objects_out_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(reclaim_trims_idle_slabs_to_reservation, setup, teardown),
		cmocka_unit_test_setup_teardown(many_cpus_random, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_share_cpus, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
