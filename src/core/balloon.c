/*
 * The balloon: policy (target arithmetic, FIST keys, balloon-active, back
 * off) and the two batch loops. Every hypervisor result is checked against
 * what was asked: Xen reports how many extents it did, and exactly those
 * change hands.
 */
#include "balloon.h"
#include "balloon_pfns.h"
#include "compiler.h"
#include "hypercall.h"
#include "log.h"

struct balloon {
	struct balloon_ops ops;
	struct balloon_config cfg;
	uint32_t busy;			/* atomic: an adjustment or the suspend hold */
	struct balloon_pfns pfns;	/* frames given to Xen */

	bool limits_read;		/* static-max and videoram looked at */
	bool have_target;
	uint64_t target_pages;		/* last valid memory/target, as a size */
	bool block_inflate;		/* FIST keys, read per adjustment */
	bool block_deflate;
	uint64_t backoff_ns;		/* 0 after success */

	/* Counters: `stats` belongs to whoever holds `busy`; readers see
	 * `pub`, copied from it under the lock after every batch and run. */
	struct balloon_stats stats;
	os_spinlock pub_lock;
	struct balloon_stats pub;

	/* One batch: the frames as the OS gave them (trusted), and the list
	 * Xen reads (and may write). */
	uint64_t pfn[BALLOON_BATCH_MAX];
	xen_pfn_t frame[BALLOON_BATCH_MAX];
};

#define BALLOON_NS_PER_S 1000000000ull

void balloon_config_defaults(struct balloon_config *config)
{
	config->batch = BALLOON_BATCH_MAX;
	config->budget_ns = BALLOON_NS_PER_S;
	config->backoff_min_ns = BALLOON_NS_PER_S;
	config->backoff_max_ns = 32 * BALLOON_NS_PER_S;
}

/* ---- parsing ---- */

xen_status balloon_parse_decimal(const char *value, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!value || len == 0)
		return -XEN_EINVAL;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)value[i] - '0';

		if (d > 9)
			return -XEN_EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -XEN_ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return XEN_OK;
}

xen_status balloon_parse_fist(const char *value, size_t len, bool *blocked)
{
	bool any = false;
	size_t i;

	*blocked = false;
	if (!value || len == 0)
		return -XEN_EINVAL;
	for (i = 0; i < len; i++) {
		if (value[i] != '0' && value[i] != '1')
			return -XEN_EINVAL;
		any |= value[i] == '1';
	}
	/* More than 64 significant binary digits would not fit upstream's
	 * unsigned long either. */
	for (i = 0; i < len && value[i] == '0'; i++)
		;
	if (len - i > 64)
		return -XEN_EINVAL;
	*blocked = any;
	return XEN_OK;
}

uint64_t balloon_target_pages(uint64_t target_kib, uint64_t static_max_kib,
			      uint64_t videoram_kib)
{
	uint64_t usable, target;

	usable = videoram_kib < static_max_kib ? (static_max_kib - videoram_kib) / 4 : 0;
	target = target_kib / 4;
	return usable - (target < usable ? target : usable);
}

/* ---- xenstore ---- */

enum balloon_value_kind { BALLOON_DECIMAL, BALLOON_FIST };

/* Read node and parse it as `kind` into *out (a uint64_t, or a bool for
 * FIST). -XEN_ENOENT when absent, -XEN_EINVAL when malformed (counted and
 * logged), other store errors as they come (counted). */
static xen_status balloon_read_value(struct balloon *b, const char *node,
				     enum balloon_value_kind kind, void *out)
{
	char buf[BALLOON_VALUE_MAX];
	size_t len = 0;
	xen_status st;

	st = b->ops.read(b->ops.ctx, node, buf, sizeof(buf), &len);
	if (st == -XEN_ENOENT)
		return st;
	if (st != XEN_OK) {
		b->stats.store_errors++;
		return st;
	}
	/* len is the store's word: only trust it within our buffer. */
	if (len > sizeof(buf))
		st = -XEN_EINVAL;
	else if (kind == BALLOON_DECIMAL)
		st = balloon_parse_decimal(buf, len, out);
	else
		st = balloon_parse_fist(buf, len, out);
	if (st != XEN_OK) {
		b->stats.bad_values++;
		log_printf(LOG_WARNING, "balloon: %s: malformed value ignored\n", node);
		return -XEN_EINVAL;
	}
	return XEN_OK;
}

static xen_status balloon_read_u64(struct balloon *b, const char *node, uint64_t *out)
{
	return balloon_read_value(b, node, BALLOON_DECIMAL, out);
}

/* A FIST key blocks only when present and well-formed non-zero. */
static bool balloon_read_fist(struct balloon *b, const char *node)
{
	bool blocked = false;

	return balloon_read_value(b, node, BALLOON_FIST, &blocked) == XEN_OK && blocked;
}

static void balloon_set_active(struct balloon *b, bool active)
{
	xen_status st;

	if (b->stats.active == active)
		return;
	st = b->ops.write(b->ops.ctx, BALLOON_ACTIVE_NODE, active ? "1" : "0");
	if (st != XEN_OK) {
		/* Informational only; tried again on the next run. */
		b->stats.store_errors++;
		return;
	}
	b->stats.active = active;
}

xen_status balloon_advertise(struct balloon *b, bool on)
{
	return b->ops.write(b->ops.ctx, BALLOON_FEATURE_NODE, on ? "1" : "0");
}

/* ---- life cycle ---- */

static bool balloon_config_ok(const struct balloon_config *c)
{
	return c->batch >= 1 && c->batch <= BALLOON_BATCH_MAX &&
	       c->backoff_min_ns <= c->backoff_max_ns;
}

xen_status balloon_create(const struct options *opts, const struct balloon_ops *ops,
			  const struct balloon_config *config, struct balloon **out)
{
	struct balloon *b;

	*out = NULL;
	if (opts && !opts->balloon)
		return -XEN_ENODEV;
	if (!ops || !ops->read || !ops->write || !ops->pages_alloc || !ops->pages_free)
		return -XEN_EINVAL;
	if (config && !balloon_config_ok(config))
		return -XEN_EINVAL;
	b = os_alloc(sizeof(*b));
	if (!b)
		return -XEN_ENOMEM;
	b->ops = *ops;
	if (config)
		b->cfg = *config;
	else
		balloon_config_defaults(&b->cfg);
	balloon_pfns_init(&b->pfns);
	os_spin_init(&b->pub_lock);
	*out = b;
	return XEN_OK;
}

static bool balloon_try_busy(struct balloon *b)
{
	return __atomic_exchange_n(&b->busy, 1, __ATOMIC_ACQUIRE) == 0;
}

static void balloon_unbusy(struct balloon *b)
{
	__atomic_store_n(&b->busy, 0, __ATOMIC_RELEASE);
}

xen_status balloon_destroy(struct balloon *b)
{
	if (!b)
		return XEN_OK;
	if (!balloon_try_busy(b))
		return -XEN_EBUSY;
	if (b->stats.size != 0) {
		balloon_unbusy(b);
		return -XEN_EBUSY;
	}
	balloon_pfns_fini(&b->pfns);
	os_free(b);
	return XEN_OK;
}

bool balloon_suspend_trylock(struct balloon *b)
{
	return balloon_try_busy(b);
}

void balloon_suspend_unlock(struct balloon *b)
{
	balloon_unbusy(b);
}

void balloon_get_stats(const struct balloon *b, struct balloon_stats *out)
{
	os_spinlock *lock = (os_spinlock *)&b->pub_lock;
	os_lock_state s = os_spin_lock(lock);

	*out = b->pub;
	os_spin_unlock(lock, s);
}

/* 64-bit values are read under the lock: a 32-bit kernel image has no
 * lock-free 64-bit load without SSE or x87. */
uint64_t balloon_size(const struct balloon *b)
{
	struct balloon_stats st;

	balloon_get_stats(b, &st);
	return st.size;
}

uint64_t balloon_retry_ns(const struct balloon *b)
{
	struct balloon_stats st;

	balloon_get_stats(b, &st);
	return st.retry_ns;
}

/* Caller holds busy. */
static void balloon_publish(struct balloon *b)
{
	os_lock_state s;

	b->stats.runs = balloon_pfns_runs(&b->pfns);
	b->stats.bookkeeping_bytes = balloon_pfns_bytes(&b->pfns);
	s = os_spin_lock(&b->pub_lock);
	b->pub = b->stats;
	os_spin_unlock(&b->pub_lock, s);
}

xen_status balloon_reservation(uint64_t *current, uint64_t *maximum)
{
	struct xen_memory_domain d = { .domid = DOMID_SELF };
	long cur, max;

	cur = hypercall_memory_op(XENMEM_current_reservation, &d);
	if (cur < 0)
		return (xen_status)cur;
	max = hypercall_memory_op(XENMEM_maximum_reservation, &d);
	if (max < 0)
		return (xen_status)max;
	*current = (uint64_t)cur;
	*maximum = (uint64_t)max;
	return XEN_OK;
}

/* ---- batches ---- */

/* How many extents Xen says it did, checked against `asked`. Beyond what
 * was asked nothing is known: `excess_done` says which answer is safe
 * (decrease: treat all as gone, so no released frame returns to the OS;
 * populate: treat none as back, so the OS never gets an empty frame). */
static size_t balloon_done(struct balloon *b, long rc, size_t asked, bool excess_done)
{
	if (rc <= 0) {
		b->stats.refused++;
		return 0;
	}
	if ((unsigned long)rc > asked) {
		b->stats.bogus++;
		log_printf(LOG_ERROR, "balloon: Xen did %ld of %u extents\n", rc, (unsigned)asked);
		return excess_done ? asked : 0;
	}
	if ((size_t)rc < asked)
		b->stats.partial++;
	return (size_t)rc;
}

static long balloon_memory_op(struct balloon *b, unsigned cmd, size_t count)
{
	struct xen_memory_reservation r = {
		.nr_extents = count,
		.extent_order = 0,
		.mem_flags = 0,
		.domid = DOMID_SELF,
	};

	set_xen_guest_handle(r.extent_start, b->frame);
	return hypercall_memory_op(cmd, &r);
}

static void balloon_account(struct balloon *b, bool inflate, size_t done)
{
	if (inflate) {
		b->stats.decrease_calls++;
		b->stats.inflated += done;
		b->stats.size += done;
	} else {
		b->stats.populate_calls++;
		b->stats.deflated += done;
		b->stats.size -= done;
	}
	balloon_publish(b);
}

/* Keep the frames the balloon can hold and hand to Xen at the front of
 * b->pfn[0..got); give the others straight back. Returns how many stay. */
static size_t balloon_filter_pfns(struct balloon *b, size_t got)
{
	size_t i, k = 0;

	for (i = 0; i < got; i++) {
		uint64_t pfn = b->pfn[i];

		if (pfn < BALLOON_PFNS_LIMIT && (uint64_t)(xen_pfn_t)pfn == pfn) {
			b->pfn[i] = b->pfn[k];
			b->pfn[k++] = pfn;
		}
	}
	if (k < got) {
		b->stats.os_refused_pfns += got - k;
		b->ops.pages_free(b->ops.ctx, &b->pfn[k], got - k);
	}
	return k;
}

/* Give up to n pages to Xen. XEN_OK if all n went; -XEN_EAGAIN after
 * less (*progress says how many did go); -XEN_ENOMEM. */
static xen_status balloon_inflate_batch(struct balloon *b, size_t n, size_t *progress)
{
	size_t got, k, done, i;

	*progress = 0;
	if (balloon_pfns_reserve(&b->pfns, n) != XEN_OK) {
		b->stats.no_memory++;
		return -XEN_ENOMEM;
	}
	got = b->ops.pages_alloc(b->ops.ctx, b->pfn, n);
	BUG_ON(got > n);
	if (got < n)
		b->stats.os_short++;
	k = balloon_filter_pfns(b, got);
	if (k == 0)
		return -XEN_EAGAIN;
	for (i = 0; i < k; i++)
		b->frame[i] = (xen_pfn_t)b->pfn[i];
	done = balloon_done(b, balloon_memory_op(b, XENMEM_decrease_reservation, k), k, true);
	/* Xen released exactly the first `done`; the rest are still ours. */
	for (i = 0; i < done; i++)
		balloon_pfns_push(&b->pfns, b->pfn[i]);
	if (done < k)
		b->ops.pages_free(b->ops.ctx, &b->pfn[done], k - done);
	balloon_account(b, true, done);
	*progress = done;
	return done == n ? XEN_OK : -XEN_EAGAIN;
}

/* Take up to n pages back from Xen (n <= size). Same results. */
static xen_status balloon_deflate_batch(struct balloon *b, size_t n, size_t *progress)
{
	size_t k, done, i;

	k = balloon_pfns_peek(&b->pfns, b->pfn, n);
	BUG_ON(k != n);
	for (i = 0; i < k; i++)
		b->frame[i] = (xen_pfn_t)b->pfn[i];
	done = balloon_done(b, balloon_memory_op(b, XENMEM_populate_physmap, k), k, false);
	/* The first `done` are populated again; the rest stay in the balloon. */
	balloon_pfns_pop(&b->pfns, done);
	if (done)
		b->ops.pages_free(b->ops.ctx, b->pfn, done);
	balloon_account(b, false, done);
	*progress = done;
	return done == n ? XEN_OK : -XEN_EAGAIN;
}

static void balloon_set_retry(struct balloon *b, uint64_t ns)
{
	b->stats.retry_ns = ns;
}

/* After a run that stopped short: retry soon if it moved, else back off
 * exponentially up to the maximum. */
static void balloon_back_off(struct balloon *b, bool moved)
{
	uint64_t next;

	if (moved || b->backoff_ns == 0)
		next = b->cfg.backoff_min_ns;
	else if (b->backoff_ns > b->cfg.backoff_max_ns / 2)
		next = b->cfg.backoff_max_ns;
	else
		next = b->backoff_ns * 2;
	b->backoff_ns = next;
	b->stats.backoffs++;
	balloon_set_retry(b, next);
}

static xen_status balloon_adjust_locked(struct balloon *b, uint64_t pages)
{
	uint64_t start = os_time_ns();
	bool moved = false;
	xen_status st = XEN_OK;

	b->stats.target = pages;
	if (b->stats.size != pages) {
		b->block_inflate = balloon_read_fist(b, BALLOON_FIST_INFLATION_NODE);
		b->block_deflate = balloon_read_fist(b, BALLOON_FIST_DEFLATION_NODE);
	}
	while (b->stats.size != pages) {
		bool inflate = b->stats.size < pages;
		uint64_t gap = inflate ? pages - b->stats.size : b->stats.size - pages;
		size_t n = gap < b->cfg.batch ? (size_t)gap : b->cfg.batch;
		size_t progress = 0;

		if (inflate ? b->block_inflate : b->block_deflate) {
			b->stats.fist_blocked++;
			st = -XEN_EAGAIN;
			break;
		}
		st = inflate ? balloon_inflate_batch(b, n, &progress)
			     : balloon_deflate_batch(b, n, &progress);
		moved |= progress != 0;
		if (st != XEN_OK)
			break;
		if (b->cfg.budget_ns && b->stats.size != pages &&
		    os_time_ns() - start >= b->cfg.budget_ns) {
			/* Not refused, just long: let others run, come back now. */
			balloon_set_retry(b, 0);
			return -XEN_EAGAIN;
		}
	}
	if (st == XEN_OK) {
		b->backoff_ns = 0;
		balloon_set_retry(b, 0);
	} else {
		balloon_back_off(b, moved);
	}
	return st;
}

xen_status balloon_adjust(struct balloon *b, uint64_t pages)
{
	xen_status st;

	if (!balloon_try_busy(b))
		return -XEN_EBUSY;
	st = balloon_adjust_locked(b, pages);
	balloon_publish(b);
	balloon_unbusy(b);
	return st;
}

/* static-max and videoram, once. XEN_OK also when adjusting ends up
 * disabled; other store errors are returned and the read is retried. */
static xen_status balloon_read_limits(struct balloon *b)
{
	uint64_t max = 0, video = 0;
	xen_status st;

	st = balloon_read_u64(b, BALLOON_STATIC_MAX_NODE, &max);
	if (st != XEN_OK && st != -XEN_ENOENT && st != -XEN_EINVAL)
		return st;
	if (st == XEN_OK) {
		st = balloon_read_u64(b, BALLOON_VIDEORAM_NODE, &video);
		if (st == -XEN_ENOENT)
			st = XEN_OK;
		else if (st != XEN_OK && st != -XEN_EINVAL)
			return st;
	}
	b->limits_read = true;
	b->stats.static_max_kib = max;
	b->stats.videoram_kib = video;
	/* A value we cannot understand is not guessed at. */
	if (st != XEN_OK || max == 0) {
		b->stats.adjusting_disabled = true;
		log_printf(LOG_WARNING, "balloon: no usable %s: not adjusting\n",
			   BALLOON_STATIC_MAX_NODE);
	}
	return XEN_OK;
}

static xen_status balloon_target_locked(struct balloon *b)
{
	uint64_t kib = 0;
	xen_status st;

	if (!b->limits_read) {
		st = balloon_read_limits(b);
		if (st != XEN_OK)
			return st;
	}
	if (b->stats.adjusting_disabled)
		return XEN_OK;
	st = balloon_read_u64(b, BALLOON_TARGET_NODE, &kib);
	if (st == XEN_OK) {
		b->target_pages = balloon_target_pages(kib, b->stats.static_max_kib,
						       b->stats.videoram_kib);
		b->have_target = true;
	} else if (st != -XEN_ENOENT && st != -XEN_EINVAL) {
		return st;
	}
	/* Absent or malformed: keep going towards the last valid target. */
	if (!b->have_target)
		return XEN_OK;
	if (b->stats.size != b->target_pages)
		balloon_set_active(b, true);
	st = balloon_adjust_locked(b, b->target_pages);
	if (st == XEN_OK)
		balloon_set_active(b, false);
	return st;
}

xen_status balloon_target_changed(struct balloon *b)
{
	xen_status st;

	if (!balloon_try_busy(b))
		return -XEN_EBUSY;
	st = balloon_target_locked(b);
	balloon_publish(b);
	balloon_unbusy(b);
	return st;
}
