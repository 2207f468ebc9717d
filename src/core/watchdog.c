#include "watchdog.h"
#include "hypercall.h"
#include "log.h"

#define NS_PER_S 1000000000ull

uint32_t watchdog_timeout(uint32_t option_s)
{
	if (option_s != 0 && option_s < WATCHDOG_MIN_S)
		return WATCHDOG_MIN_S;
	return option_s;
}

uint64_t watchdog_period_ns(uint32_t timeout_s)
{
	return (uint64_t)timeout_s * NS_PER_S / 2;
}

void watchdog_init(struct watchdog *wd)
{
	__builtin_memset(wd, 0, sizeof(*wd));
	os_spin_init(&wd->lock);
}

/* SCHEDOP_watchdog; returns Xen's result (an id for id 0). */
static long watchdog_op(uint32_t id, uint32_t timeout_s)
{
	struct sched_watchdog w = { .id = id, .timeout = timeout_s };

	return hypercall_sched_op(SCHEDOP_watchdog, &w);
}

/* Arm a new Xen watchdog; lock not held (thread context). */
static xen_status watchdog_arm(uint32_t timeout_s, uint32_t *id)
{
	long r = watchdog_op(0, timeout_s);

	if (r < 0)
		return hypercall_status(r);
	if (r == 0 || (uint64_t)r > UINT32_MAX)
		return -XEN_EIO;	/* id 0 would mean "new watchdog" */
	*id = (uint32_t)r;
	return XEN_OK;
}

xen_status watchdog_start(struct watchdog *wd, uint32_t option_s, unsigned ncpus)
{
	uint32_t timeout = watchdog_timeout(option_s), id = 0;
	uint32_t *ticks = NULL, *seen = NULL;
	os_lock_state s;
	xen_status st;

	if (timeout == 0 || ncpus == 0)
		return -XEN_EINVAL;
	if (wd->id != 0)
		return -XEN_EBUSY;
	ticks = os_alloc(ncpus * sizeof(*ticks));
	seen = os_alloc(ncpus * sizeof(*seen));
	if (!ticks || !seen) {
		st = -XEN_ENOMEM;
		goto fail;
	}
	st = watchdog_arm(timeout, &id);
	if (st != XEN_OK)
		goto fail;
	s = os_spin_lock(&wd->lock);
	wd->ticks = ticks;
	wd->seen = seen;
	wd->ncpus = ncpus;
	wd->timeout_s = timeout;
	wd->id = id;
	os_spin_unlock(&wd->lock, s);
	log_printf(LOG_INFO, "WATCHDOG: ARMED (%u s, id %u, %u CPUs)\n", timeout, id, ncpus);
	return XEN_OK;
fail:
	os_free(ticks);
	os_free(seen);
	log_printf(LOG_ERROR, "WATCHDOG: NOT ARMED: %s\n", status_name(st));
	return st;
}

/* Lock held: has every CPU ticked since the last poke? */
static bool watchdog_all_ticked(const struct watchdog *wd)
{
	unsigned i;

	for (i = 0; i < wd->ncpus; i++)
		if (wd->ticks[i] == wd->seen[i])
			return false;
	return true;
}

xen_status watchdog_tick(struct watchdog *wd, unsigned cpu)
{
	xen_status st = XEN_OK;
	os_lock_state s;

	s = os_spin_lock(&wd->lock);
	if (wd->id == 0) {
		st = -XEN_ENOTCONN;
	} else if (cpu >= wd->ncpus) {
		st = -XEN_ERANGE;
	} else {
		wd->ticks[cpu]++;
		if (watchdog_all_ticked(wd)) {
			__builtin_memcpy(wd->seen, wd->ticks, wd->ncpus * sizeof(*wd->seen));
			st = hypercall_status(watchdog_op(wd->id, wd->timeout_s));
			if (st != XEN_OK) {
				wd->last_error = st;
				wd->poke_errors++;
			} else {
				wd->pokes++;
			}
		}
	}
	os_spin_unlock(&wd->lock, s);
	return st;
}

/* Lock not held: forget the state; returns the old id. */
static uint32_t watchdog_clear(struct watchdog *wd)
{
	uint32_t *ticks, *seen, id;
	os_lock_state s;

	s = os_spin_lock(&wd->lock);
	id = wd->id;
	ticks = wd->ticks;
	seen = wd->seen;
	wd->id = 0;
	wd->ticks = wd->seen = NULL;
	wd->ncpus = 0;
	os_spin_unlock(&wd->lock, s);
	os_free(ticks);
	os_free(seen);
	return id;
}

xen_status watchdog_stop(struct watchdog *wd)
{
	uint32_t id = watchdog_clear(wd);

	if (id == 0)
		return -XEN_ENOTCONN;
	return hypercall_status(watchdog_op(id, 0));
}

xen_status watchdog_resume(struct watchdog *wd)
{
	uint32_t timeout = wd->timeout_s;
	unsigned ncpus = wd->ncpus;

	if (wd->id == 0)
		return -XEN_ENOTCONN;
	/* The old id belonged to the previous domain instance. */
	watchdog_clear(wd);
	return watchdog_start(wd, timeout, ncpus);
}

xen_status watchdog_cpu_timer(unsigned vcpu, uint64_t period_ns)
{
	struct vcpu_set_periodic_timer t = { .period_ns = period_ns };
	if (period_ns == 0)
		return hypercall_status(hypercall_vcpu_op(VCPUOP_stop_periodic_timer, vcpu, NULL));
	return hypercall_status(hypercall_vcpu_op(VCPUOP_set_periodic_timer, vcpu, &t));
}
