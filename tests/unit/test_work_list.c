/* The deferred-work FIFO shared by the OS layers (host and Windows). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "work_list.h"

static void nop(void *arg)
{
	(void)arg;
}

static void fifo_order_and_no_double_queue(void **state)
{
	struct work_list l = { 0 };
	os_work a, b, c;

	(void)state;
	os_work_init(&a, nop, NULL);
	os_work_init(&b, nop, NULL);
	os_work_init(&c, nop, NULL);
	assert_true(work_list_push(&l, &a));
	assert_true(work_list_push(&l, &b));
	assert_false(work_list_push(&l, &a));	/* already queued */
	assert_true(work_list_push(&l, &c));
	assert_ptr_equal(work_list_pop(&l), &a);
	assert_int_equal(a.queued, 0);
	assert_true(work_list_push(&l, &a));	/* requeue after it ran */
	assert_ptr_equal(work_list_pop(&l), &b);
	assert_ptr_equal(work_list_pop(&l), &c);
	assert_ptr_equal(work_list_pop(&l), &a);
	assert_null(work_list_pop(&l));
	assert_null(l.head);
	assert_null(l.tail);
}

static void remove_head_middle_tail_and_absent(void **state)
{
	struct work_list l = { 0 };
	os_work w[4];
	unsigned i;

	(void)state;
	for (i = 0; i < 4; i++) {
		os_work_init(&w[i], nop, NULL);
		assert_true(work_list_push(&l, &w[i]));
	}
	assert_true(work_list_remove(&l, &w[3]));	/* tail */
	assert_ptr_equal(l.tail, &w[2]);
	assert_true(work_list_remove(&l, &w[0]));	/* head */
	assert_true(work_list_remove(&l, &w[1]));	/* middle */
	assert_false(work_list_remove(&l, &w[1]));	/* gone */
	assert_int_equal(w[1].queued, 0);
	/* The tail is still right: a push lands after w[2]. */
	assert_true(work_list_push(&l, &w[0]));
	assert_ptr_equal(work_list_pop(&l), &w[2]);
	assert_ptr_equal(work_list_pop(&l), &w[0]);
	assert_null(work_list_pop(&l));
}

static void clear_unlinks_everything(void **state)
{
	struct work_list l = { 0 };
	os_work a, b;

	(void)state;
	os_work_init(&a, nop, NULL);
	os_work_init(&b, nop, NULL);
	work_list_push(&l, &a);
	work_list_push(&l, &b);
	work_list_clear(&l);
	assert_null(l.head);
	assert_null(l.tail);
	assert_int_equal(a.queued, 0);
	assert_int_equal(b.queued, 0);
	assert_true(work_list_push(&l, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fifo_order_and_no_double_queue),
		cmocka_unit_test(remove_head_middle_tail_and_absent),
		cmocka_unit_test(clear_unlinks_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
