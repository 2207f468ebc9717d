/*
 * range_set: an ordered set of signed 64-bit integers kept as disjoint,
 * non-adjacent ranges (the RANGE_SET interface children receive, and the
 * grant table's free-reference pool).
 *
 * Every function takes the set's own spin lock, so any context up to
 * DISPATCH_LEVEL. A range is [start, start + count - 1]; count 0 and ranges
 * that would pass INT64_MAX are -XEN_EINVAL.
 */
#ifndef XB_RANGE_SET_H
#define XB_RANGE_SET_H

#include <stdbool.h>

#include "status.h"

struct range_set;

/* New empty set; name (may be NULL) is kept, truncated, for debug output.
 * -XEN_ENOMEM on allocation failure. Free with range_set_destroy. */
xen_status range_set_create(const char *name, struct range_set **out);
/* Frees the set and whatever it still holds (the interface adapter checks
 * range_set_is_empty first: a non-empty set there is a client bug). */
void range_set_destroy(struct range_set *set);

/* Add [start, start+count-1], merging with neighbours. -XEN_EEXIST (set
 * unchanged) if any item is already present; -XEN_ENOMEM if a new range
 * node was needed and none could be allocated. */
xen_status range_set_put(struct range_set *set, int64_t start, uint64_t count);
/* Remove (reserve) exactly [start, start+count-1], which must lie inside
 * one present range: -XEN_ENOENT otherwise (set unchanged). May split a
 * range, so -XEN_ENOMEM is possible. */
xen_status range_set_get(struct range_set *set, int64_t start, uint64_t count);
/* First fit: take count items from the lowest range holding that many;
 * *start receives the first. -XEN_ENOSPC if no range is large enough. */
xen_status range_set_pop(struct range_set *set, uint64_t count, int64_t *start);

/* Is item present? */
bool range_set_contains(struct range_set *set, int64_t item);
bool range_set_is_empty(struct range_set *set);
/* Items present (saturates at UINT64_MAX) and number of ranges. */
uint64_t range_set_items(struct range_set *set);
size_t range_set_ranges(struct range_set *set);
const char *range_set_name(const struct range_set *set);

#endif /* XB_RANGE_SET_H */
