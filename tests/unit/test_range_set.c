/* range_set: edge cases, and random operations checked against a bitmap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "host.h"
#include "range_set.h"

static int teardown(void **state)
{
	(void)state;
	host_alloc_fail(0, 0);
	assert_int_equal(host_live_allocations(), 0);
	return 0;
}

static void put_merges_and_rejects_overlap(void **state)
{
	struct range_set *s;
	int64_t at;

	(void)state;
	assert_int_equal(range_set_create("merge", &s), XEN_OK);
	assert_string_equal(range_set_name(s), "merge");
	assert_true(range_set_is_empty(s));
	assert_int_equal(range_set_put(s, 10, 5), XEN_OK);	/* 10..14 */
	assert_int_equal(range_set_put(s, 20, 5), XEN_OK);	/* 20..24 */
	assert_int_equal(range_set_ranges(s), 2);
	assert_int_equal(range_set_put(s, 14, 1), -XEN_EEXIST);
	assert_int_equal(range_set_put(s, 5, 6), -XEN_EEXIST);
	assert_int_equal(range_set_put(s, 15, 6), -XEN_EEXIST);
	assert_int_equal(range_set_put(s, 15, 5), XEN_OK);	/* joins both */
	assert_int_equal(range_set_ranges(s), 1);
	assert_int_equal(range_set_items(s), 15);
	assert_int_equal(range_set_put(s, 9, 0), -XEN_EINVAL);
	assert_int_equal(range_set_pop(s, 0, &at), -XEN_EINVAL);
	assert_int_equal(range_set_get(s, 9, 0), -XEN_EINVAL);
	assert_int_equal(range_set_put(s, 5, 5), XEN_OK);	/* joins left */
	assert_int_equal(range_set_put(s, 25, 1), XEN_OK);	/* joins right */
	assert_int_equal(range_set_ranges(s), 1);
	assert_int_equal(range_set_items(s), 21);
	assert_true(range_set_contains(s, 5));
	assert_true(range_set_contains(s, 25));
	assert_false(range_set_contains(s, 4));
	assert_false(range_set_contains(s, 26));
	range_set_destroy(s);
}

static void get_splits_and_checks_presence(void **state)
{
	struct range_set *s;
	int64_t at;

	(void)state;
	assert_int_equal(range_set_create(NULL, &s), XEN_OK);
	assert_string_equal(range_set_name(s), "");
	assert_int_equal(range_set_put(s, 0, 100), XEN_OK);
	assert_int_equal(range_set_get(s, 40, 10), XEN_OK);	/* split */
	assert_int_equal(range_set_ranges(s), 2);
	assert_int_equal(range_set_get(s, 45, 1), -XEN_ENOENT);
	assert_int_equal(range_set_get(s, 30, 15), -XEN_ENOENT);	/* spans a hole */
	assert_int_equal(range_set_get(s, 95, 10), -XEN_ENOENT);
	assert_int_equal(range_set_get(s, 0, 40), XEN_OK);	/* whole range */
	assert_int_equal(range_set_get(s, 50, 1), XEN_OK);	/* left edge */
	assert_int_equal(range_set_get(s, 99, 1), XEN_OK);	/* right edge */
	assert_int_equal(range_set_items(s), 48);
	/* First fit skips ranges too small. */
	assert_int_equal(range_set_put(s, -10, 3), XEN_OK);
	assert_int_equal(range_set_pop(s, 5, &at), XEN_OK);
	assert_int_equal(at, 51);
	assert_int_equal(range_set_pop(s, 3, &at), XEN_OK);
	assert_int_equal(at, -10);
	assert_int_equal(range_set_pop(s, 1000, &at), -XEN_ENOSPC);
	assert_int_equal(range_set_pop(s, 43, &at), XEN_OK);
	assert_int_equal(at, 56);
	assert_true(range_set_is_empty(s));
	assert_int_equal(range_set_pop(s, 1, &at), -XEN_ENOSPC);
	range_set_destroy(s);
}

static void extremes_of_int64(void **state)
{
	struct range_set *s;
	int64_t at;

	(void)state;
	assert_int_equal(range_set_create("big", &s), XEN_OK);
	assert_int_equal(range_set_put(s, INT64_MAX, 1), XEN_OK);
	assert_int_equal(range_set_put(s, INT64_MAX, 2), -XEN_EINVAL);
	assert_int_equal(range_set_put(s, 0, UINT64_MAX), -XEN_EINVAL);
	assert_int_equal(range_set_put(s, INT64_MIN, UINT64_MAX), XEN_OK);
	assert_int_equal(range_set_ranges(s), 1);	/* the whole line, merged */
	assert_int_equal(range_set_items(s), UINT64_MAX);	/* 2^64 saturates */
	assert_int_equal(range_set_get(s, -1, 2), XEN_OK);
	assert_int_equal(range_set_ranges(s), 2);
	assert_int_equal(range_set_pop(s, (uint64_t)1 << 63, &at), -XEN_ENOSPC);
	assert_int_equal(range_set_pop(s, ((uint64_t)1 << 63) - 1, &at), XEN_OK);
	assert_true(at == INT64_MIN);
	assert_int_equal(range_set_items(s), (uint64_t)INT64_MAX);
	assert_int_equal(range_set_get(s, 1, (uint64_t)INT64_MAX), XEN_OK);
	assert_true(range_set_is_empty(s));
	range_set_destroy(s);
}

static void allocation_failure_leaves_set_unchanged(void **state)
{
	struct range_set *s;
	unsigned i;

	(void)state;
	host_alloc_fail(0, 1);
	assert_int_equal(range_set_create("x", &s), -XEN_ENOMEM);
	assert_int_equal(range_set_create("x", &s), XEN_OK);
	host_alloc_fail(0, 1);
	assert_int_equal(range_set_put(s, 0, 1), -XEN_ENOMEM);
	assert_true(range_set_is_empty(s));
	for (i = 0; i < 4; i++)	/* fills the first node array */
		assert_int_equal(range_set_put(s, 10 * i, 5), XEN_OK);
	host_alloc_fail(0, 1);
	assert_int_equal(range_set_put(s, 100, 1), -XEN_ENOMEM);
	host_alloc_fail(0, 1);
	assert_int_equal(range_set_get(s, 11, 2), -XEN_ENOMEM);	/* split needs a node */
	assert_int_equal(range_set_ranges(s), 4);
	assert_int_equal(range_set_items(s), 20);
	assert_int_equal(range_set_get(s, 10, 2), XEN_OK);	/* no node needed */
	assert_int_equal(range_set_get(s, 14, 1), XEN_OK);	/* right edge */
	range_set_destroy(s);	/* destroy of a non-empty set frees it all */
}

/* ---- random operations against a bitmap oracle ---- */

#define UNIV 320
#define BASE (-100)

static uint64_t rng;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool oracle[UNIV];

static bool oracle_all(unsigned from, unsigned count, bool value)
{
	for (unsigned i = from; i < from + count; i++)
		if (oracle[i] != value)
			return false;
	return true;
}

static void oracle_set(unsigned from, unsigned count, bool value)
{
	for (unsigned i = from; i < from + count; i++)
		oracle[i] = value;
}

/* First maximal run of at least count items, or -1. */
static int oracle_first_fit(unsigned count)
{
	unsigned i = 0;

	while (i < UNIV) {
		unsigned j = i;

		while (j < UNIV && oracle[j])
			j++;
		if (j - i >= count)
			return (int)i;
		i = j + 1;
	}
	return -1;
}

static void check_against_oracle(struct range_set *s)
{
	size_t runs = 0;
	uint64_t items = 0;

	for (unsigned i = 0; i < UNIV; i++) {
		assert_int_equal(range_set_contains(s, BASE + (int64_t)i), oracle[i]);
		items += oracle[i];
		if (oracle[i] && (i == 0 || !oracle[i - 1]))
			runs++;
	}
	assert_false(range_set_contains(s, BASE - 1));
	assert_false(range_set_contains(s, BASE + UNIV));
	assert_int_equal(range_set_items(s), items);
	assert_int_equal(range_set_ranges(s), runs);	/* maximal: never adjacent */
}

static void random_ops_match_bitmap(void **state)
{
	static const uint64_t seeds[] = { 1, 0x9e3779b97f4a7c15ull, 42, 0xdeadbeefcafeull };

	(void)state;
	for (size_t k = 0; k < sizeof(seeds) / sizeof(seeds[0]); k++) {
		struct range_set *s;

		rng = seeds[k];
		memset(oracle, 0, sizeof(oracle));
		assert_int_equal(range_set_create("rand", &s), XEN_OK);
		for (unsigned op = 0; op < 6000; op++) {
			unsigned count = 1 + (unsigned)(next_rand() % (next_rand() % 4 ? 6 : 60));
			unsigned from = (unsigned)(next_rand() % (UNIV - count + 1));
			int64_t start = BASE + (int64_t)from;
			xen_status rc;
			int64_t at;
			int fit;

			switch (next_rand() % 3) {
			case 0:
				rc = range_set_put(s, start, count);
				if (oracle_all(from, count, false)) {
					assert_int_equal(rc, XEN_OK);
					oracle_set(from, count, true);
				} else {
					assert_int_equal(rc, -XEN_EEXIST);
				}
				break;
			case 1:
				rc = range_set_get(s, start, count);
				if (oracle_all(from, count, true)) {
					assert_int_equal(rc, XEN_OK);
					oracle_set(from, count, false);
				} else {
					assert_int_equal(rc, -XEN_ENOENT);
				}
				break;
			default:
				fit = oracle_first_fit(count);
				rc = range_set_pop(s, count, &at);
				if (fit < 0) {
					assert_int_equal(rc, -XEN_ENOSPC);
				} else {
					assert_int_equal(rc, XEN_OK);
					assert_int_equal(at, BASE + fit);
					oracle_set((unsigned)fit, count, false);
				}
				break;
			}
			if (op % 64 == 0)
				check_against_oracle(s);
		}
		check_against_oracle(s);
		range_set_destroy(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(put_merges_and_rejects_overlap, teardown),
		cmocka_unit_test_teardown(get_splits_and_checks_presence, teardown),
		cmocka_unit_test_teardown(extremes_of_int64, teardown),
		cmocka_unit_test_teardown(allocation_failure_leaves_set_unchanged, teardown),
		cmocka_unit_test_teardown(random_ops_match_bitmap, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
