/* The balloon's frame store on its own: runs merged on either side, the
 * pop/peek order, chunk spill and reuse, reservation failure, the run
 * length limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "balloon_pfns.h"
#include "host.h"

static int no_leak(void **state)
{
	(void)state;
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}


static void pfns_runs_and_order(void **state)
{
	struct balloon_pfns p;
	uint64_t out[16];
	uint64_t i;

	(void)state;
	balloon_pfns_init(&p);
	assert_int_equal(balloon_pfns_reserve(&p, 10), XEN_OK);
	for (i = 100; i < 104; i++)	/* ascending run */
		balloon_pfns_push(&p, i);
	for (i = 99; i > 96; i--)	/* descending extends it below */
		balloon_pfns_push(&p, i);
	balloon_pfns_push(&p, 500);
	balloon_pfns_push(&p, 7);
	assert_int_equal(balloon_pfns_items(&p), 9);
	assert_int_equal(p.runs, 3);
	assert_int_equal(balloon_pfns_peek(&p, out, 16), 9);
	assert_int_equal(out[0], 7);
	assert_int_equal(out[1], 500);
	for (i = 0; i < 7; i++)
		assert_int_equal(out[2 + i], 103 - i);
	balloon_pfns_pop(&p, 4);	/* 7, 500, 103, 102 */
	assert_int_equal(balloon_pfns_peek(&p, out, 2), 2);
	assert_int_equal(out[0], 101);
	assert_int_equal(out[1], 100);
	assert_int_equal(p.runs, 1);
	balloon_pfns_pop(&p, 5);
	assert_int_equal(balloon_pfns_items(&p), 0);
	assert_int_equal(balloon_pfns_peek(&p, out, 2), 0);
	balloon_pfns_fini(&p);
}

static void pfns_many_chunks(void **state)
{
	enum { N = 3000 };
	struct balloon_pfns p;
	uint64_t out[N];
	size_t i;

	(void)state;
	balloon_pfns_init(&p);
	/* Even frames only: no merging, one run each, several chunks. */
	for (i = 0; i < N; i += 100) {
		size_t j;

		assert_int_equal(balloon_pfns_reserve(&p, 100), XEN_OK);
		for (j = i; j < i + 100; j++)
			balloon_pfns_push(&p, 2 * j);
	}
	assert_int_equal(p.runs, N);
	assert_true(balloon_pfns_bytes(&p) >= N * sizeof(uint64_t));
	assert_int_equal(balloon_pfns_peek(&p, out, N), N);
	for (i = 0; i < N; i++)
		assert_int_equal(out[i], 2 * (N - 1 - i));
	balloon_pfns_pop(&p, N - 1);
	assert_int_equal(balloon_pfns_peek(&p, out, 1), 1);
	assert_int_equal(out[0], 0);
	/* Emptied chunks are freed beyond two spares. */
	assert_true(balloon_pfns_bytes(&p) <= 3 * 4096);
	balloon_pfns_pop(&p, 1);
	balloon_pfns_fini(&p);
}

static void pfns_reserve_failure(void **state)
{
	struct balloon_pfns p;

	(void)state;
	balloon_pfns_init(&p);
	host_alloc_fail(0, 1);
	assert_int_equal(balloon_pfns_reserve(&p, 1), -XEN_ENOMEM);
	host_alloc_fail(0, 0);
	assert_int_equal(balloon_pfns_items(&p), 0);
	assert_int_equal(balloon_pfns_reserve(&p, 1), XEN_OK);
	balloon_pfns_push(&p, BALLOON_PFNS_LIMIT - 1);
	assert_int_equal(balloon_pfns_peek(&p, (uint64_t[1]){ 0 }, 1), 1);
	balloon_pfns_pop(&p, 1);
	balloon_pfns_fini(&p);
}

/* A run stops growing at its length limit (2^24 frames). */
static void pfns_long_run(void **state)
{
	struct balloon_pfns p;
	uint64_t i, n = (1ull << 24) + 3;

	(void)state;
	balloon_pfns_init(&p);
	for (i = 0; i < n; i++) {
		if (p.reserved == 0)
			assert_int_equal(balloon_pfns_reserve(&p, 1u << 20), XEN_OK);
		balloon_pfns_push(&p, i);
	}
	assert_int_equal(p.runs, 2);
	balloon_pfns_pop(&p, 2);
	assert_int_equal(p.runs, 2);
	balloon_pfns_pop(&p, 1);
	assert_int_equal(p.runs, 1);
	balloon_pfns_pop(&p, (size_t)(1ull << 24));
	assert_int_equal(balloon_pfns_items(&p), 0);
	balloon_pfns_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(pfns_runs_and_order, no_leak),
		cmocka_unit_test_teardown(pfns_many_chunks, no_leak),
		cmocka_unit_test_teardown(pfns_reserve_failure, no_leak),
		cmocka_unit_test_teardown(pfns_long_run, no_leak),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
