#include "compiler.h"
#include "range_set.h"
#include "text.h"

#define RANGE_SET_NAME_MAX 32
#define RANGE_SET_MIN_CAPACITY 4

/* Inclusive bounds, so a range may end at INT64_MAX. */
struct range_set_range {
	int64_t first;
	int64_t last;
};

/* A sorted array of disjoint, non-adjacent ranges: binary search finds the
 * place, and the common grant-table use (pop 1 from the lowest range, put
 * single items back) touches one element without allocating. */
struct range_set {
	os_spinlock lock;
	struct range_set_range *r;
	size_t n;
	size_t capacity;
	char name[RANGE_SET_NAME_MAX];
};

xen_status range_set_create(const char *name, struct range_set **out)
{
	struct range_set *set = os_alloc(sizeof(*set));

	if (!set)
		return -XEN_ENOMEM;
	os_spin_init(&set->lock);
	text_copy(set->name, sizeof(set->name), name);
	*out = set;
	return XEN_OK;
}

void range_set_destroy(struct range_set *set)
{
	if (!set)
		return;
	os_free(set->r);
	os_free(set);
}

const char *range_set_name(const struct range_set *set)
{
	return set->name;
}

/* Turn (start, count) into inclusive bounds; false if empty or past INT64_MAX. */
static bool range_bounds(int64_t start, uint64_t count, int64_t *last)
{
	if (count == 0 || count - 1 > (uint64_t)INT64_MAX - (uint64_t)start)
		return false;
	*last = (int64_t)((uint64_t)start + (count - 1));
	return true;
}

/* Index of the first range whose last item is >= item (n if none). */
static size_t range_find(const struct range_set *set, int64_t item)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->r[mid].last < item)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more range. Lock held. */
static xen_status range_reserve_slot(struct range_set *set)
{
	struct range_set_range *grown;
	size_t capacity;

	if (set->n < set->capacity)
		return XEN_OK;
	capacity = set->capacity ? set->capacity * 2 : RANGE_SET_MIN_CAPACITY;
	if (capacity > SIZE_MAX / sizeof(*grown))
		return -XEN_ENOMEM;
	grown = os_alloc(capacity * sizeof(*grown));
	if (!grown)
		return -XEN_ENOMEM;
	if (set->n)
		__builtin_memcpy(grown, set->r, set->n * sizeof(*grown));
	os_free(set->r);
	set->r = grown;
	set->capacity = capacity;
	return XEN_OK;
}

static void range_insert(struct range_set *set, size_t i, int64_t first, int64_t last)
{
	__builtin_memmove(&set->r[i + 1], &set->r[i], (set->n - i) * sizeof(set->r[0]));
	set->r[i].first = first;
	set->r[i].last = last;
	set->n++;
}

static void range_remove(struct range_set *set, size_t i)
{
	__builtin_memmove(&set->r[i], &set->r[i + 1], (set->n - i - 1) * sizeof(set->r[0]));
	set->n--;
}

static xen_status range_put_locked(struct range_set *set, int64_t start, int64_t last)
{
	size_t i = range_find(set, start);
	bool join_left, join_right;
	xen_status rc;

	if (i < set->n && set->r[i].first <= last)
		return -XEN_EEXIST;
	/* Neighbours lie strictly outside [start, last], so +1 cannot overflow. */
	join_left = i > 0 && set->r[i - 1].last + 1 == start;
	join_right = i < set->n && last + 1 == set->r[i].first;
	if (join_left && join_right) {
		set->r[i - 1].last = set->r[i].last;
		range_remove(set, i);
	} else if (join_left) {
		set->r[i - 1].last = last;
	} else if (join_right) {
		set->r[i].first = start;
	} else {
		rc = range_reserve_slot(set);
		if (rc)
			return rc;
		range_insert(set, i, start, last);
	}
	return XEN_OK;
}

typedef xen_status (*range_op_locked)(struct range_set *set, int64_t start, int64_t last);

/* Check [start, start+count) and run op on it under the lock. */
static xen_status range_apply(struct range_set *set, int64_t start, uint64_t count,
			      range_op_locked op)
{
	os_lock_state s;
	int64_t last;
	xen_status rc;

	if (!range_bounds(start, count, &last))
		return -XEN_EINVAL;
	s = os_spin_lock(&set->lock);
	rc = op(set, start, last);
	os_spin_unlock(&set->lock, s);
	return rc;
}

xen_status range_set_put(struct range_set *set, int64_t start, uint64_t count)
{
	return range_apply(set, start, count, range_put_locked);
}

static xen_status range_get_locked(struct range_set *set, int64_t start, int64_t last)
{
	size_t i = range_find(set, start);
	struct range_set_range *r;
	xen_status rc;

	if (i == set->n || set->r[i].first > start || set->r[i].last < last)
		return -XEN_ENOENT;
	r = &set->r[i];
	if (r->first == start && r->last == last) {
		range_remove(set, i);
	} else if (r->first == start) {
		r->first = last + 1;
	} else if (r->last == last) {
		r->last = start - 1;
	} else {
		rc = range_reserve_slot(set);
		if (rc)
			return rc;
		r = &set->r[i];	/* the array may have moved */
		range_insert(set, i + 1, last + 1, r->last);
		r->last = start - 1;
	}
	return XEN_OK;
}

xen_status range_set_get(struct range_set *set, int64_t start, uint64_t count)
{
	return range_apply(set, start, count, range_get_locked);
}

/* Items in r minus one, as unsigned (a full int64 range has 2^64 items). */
static uint64_t range_span(const struct range_set_range *r)
{
	return (uint64_t)r->last - (uint64_t)r->first;
}

xen_status range_set_pop(struct range_set *set, uint64_t count, int64_t *start)
{
	os_lock_state s;
	xen_status rc = -XEN_ENOSPC;
	size_t i;

	if (count == 0)
		return -XEN_EINVAL;
	s = os_spin_lock(&set->lock);
	for (i = 0; i < set->n; i++) {
		struct range_set_range *r = &set->r[i];

		if (range_span(r) < count - 1)
			continue;
		*start = r->first;
		if (range_span(r) == count - 1)
			range_remove(set, i);
		else
			r->first = (int64_t)((uint64_t)r->first + count);
		rc = XEN_OK;
		break;
	}
	os_spin_unlock(&set->lock, s);
	return rc;
}

bool range_set_contains(struct range_set *set, int64_t item)
{
	os_lock_state s = os_spin_lock(&set->lock);
	size_t i = range_find(set, item);
	bool in = i < set->n && set->r[i].first <= item;

	os_spin_unlock(&set->lock, s);
	return in;
}

bool range_set_is_empty(struct range_set *set)
{
	return range_set_ranges(set) == 0;
}

uint64_t range_set_items(struct range_set *set)
{
	os_lock_state s = os_spin_lock(&set->lock);
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < set->n; i++) {
		uint64_t span = range_span(&set->r[i]);

		if (span == UINT64_MAX || total > UINT64_MAX - span - 1) {
			total = UINT64_MAX;
			break;
		}
		total += span + 1;
	}
	os_spin_unlock(&set->lock, s);
	return total;
}

size_t range_set_ranges(struct range_set *set)
{
	os_lock_state s = os_spin_lock(&set->lock);
	size_t n = set->n;

	os_spin_unlock(&set->lock, s);
	return n;
}
