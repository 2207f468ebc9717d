#include <string.h>

#include "sim.h"
#include "sim_sched.h"

#define NS_PER_S 1000000000ull

static struct {
	unsigned shutdowns;
	int last;
	int latched;
	long suspend_result;
	uint64_t now;
	bool armed[SIM_WATCHDOGS];
	uint64_t expiry[SIM_WATCHDOGS];
	unsigned resets;
	unsigned long pokes;
	uint64_t periodic[SIM_MAX_VCPUS];
	long (*suspend_hook)(void);
} sched;

/* Xen's domain_shutdown: a latched code overrides the reason. */
static void sched_domain_shutdown(unsigned reason)
{
	if (sched.latched < 0)
		sched.latched = (int)reason;
	sched.last = sched.latched;
	sched.shutdowns++;
	if (sched.last == SHUTDOWN_watchdog)
		sched.resets++;
	/* Suspend returns to the guest (resume); the rest end this domain. */
	sched.latched = -1;
	if (sched.last != SHUTDOWN_suspend)
		memset(sched.armed, 0, sizeof(sched.armed));
}

static long sched_shutdown(const uintptr_t args[5])
{
	struct sched_shutdown *s = (void *)args[1];

	if (!s)
		return -XEN_EFAULT;
	if (s->reason > SHUTDOWN_MAX)
		return -XEN_EINVAL;
	sched_domain_shutdown(s->reason);
	if (s->reason == SHUTDOWN_suspend && sched.suspend_hook)
		return sched.suspend_hook();
	return s->reason == SHUTDOWN_suspend ? sched.suspend_result : 0;
}

static long sched_shutdown_code(const uintptr_t args[5])
{
	struct sched_shutdown *s = (void *)args[1];

	if (!s)
		return -XEN_EFAULT;
	if (s->reason > SHUTDOWN_MAX)
		return -XEN_EINVAL;
	if (sched.latched < 0)	/* the first code latched wins */
		sched.latched = (int)s->reason;
	return 0;
}

static long sched_watchdog(const uintptr_t args[5])
{
	struct sched_watchdog *w = (void *)args[1];
	unsigned i;

	if (!w)
		return -XEN_EFAULT;
	if (w->id > SIM_WATCHDOGS)
		return -XEN_EINVAL;
	if (w->id == 0) {
		for (i = 0; i < SIM_WATCHDOGS; i++) {
			if (sched.armed[i])
				continue;
			sched.armed[i] = true;
			sched.expiry[i] = sched.now + w->timeout * NS_PER_S;
			return (long)i + 1;
		}
		return -XEN_ENOSPC;
	}
	i = w->id - 1;
	if (!sched.armed[i])
		return -XEN_EINVAL;
	if (w->timeout == 0) {
		sched.armed[i] = false;
		return 0;
	}
	sched.expiry[i] = sched.now + w->timeout * NS_PER_S;
	sched.pokes++;
	return 0;
}

static long vcpu_periodic(const uintptr_t args[5], bool set)
{
	unsigned vcpu = (unsigned)args[1];
	struct vcpu_set_periodic_timer *t = (void *)args[2];

	if (vcpu >= sim_config()->vcpus)
		return -XEN_ENOENT;
	if (!set) {
		sched.periodic[vcpu] = 0;
		return 0;
	}
	if (!t)
		return -XEN_EFAULT;
	if (t->period_ns < 1000000)	/* Xen refuses periods under 1 ms */
		return -XEN_EINVAL;
	sched.periodic[vcpu] = t->period_ns;
	return 0;
}

static long vcpu_set_periodic(const uintptr_t args[5])
{
	return vcpu_periodic(args, true);
}

static long vcpu_stop_periodic(const uintptr_t args[5])
{
	return vcpu_periodic(args, false);
}

void sim_sched_init(void)
{
	memset(&sched, 0, sizeof(sched));
	sched.last = -1;
	sched.latched = -1;
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_shutdown, sched_shutdown);
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_shutdown_code,
				   sched_shutdown_code);
	sim_register_hypercall_cmd(__HYPERVISOR_sched_op, SCHEDOP_watchdog, sched_watchdog);
	sim_register_hypercall_cmd(__HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer,
				   vcpu_set_periodic);
	sim_register_hypercall_cmd(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer,
				   vcpu_stop_periodic);
}

unsigned sim_sched_shutdowns(void)
{
	return sched.shutdowns;
}

int sim_sched_last_shutdown(void)
{
	return sched.last;
}

int sim_sched_latched_code(void)
{
	return sched.latched;
}

void sim_sched_set_suspend_result(long result)
{
	sched.suspend_result = result;
}

void sim_sched_set_suspend_hook(long (*hook)(void))
{
	sched.suspend_hook = hook;
}

void sim_sched_new_domain(void)
{
	memset(sched.armed, 0, sizeof(sched.armed));
	memset(sched.periodic, 0, sizeof(sched.periodic));
	sched.latched = -1;
}

void sim_sched_advance_ns(uint64_t ns)
{
	unsigned i;

	sched.now += ns;
	for (i = 0; i < SIM_WATCHDOGS; i++) {
		if (sched.armed[i] && sched.expiry[i] <= sched.now) {
			sched_domain_shutdown(SHUTDOWN_watchdog);
			break;
		}
	}
}

uint64_t sim_sched_now_ns(void)
{
	return sched.now;
}

unsigned sim_sched_watchdog_resets(void)
{
	return sched.resets;
}

bool sim_sched_watchdog_armed(unsigned id, uint64_t *expiry_ns)
{
	if (id == 0 || id > SIM_WATCHDOGS || !sched.armed[id - 1])
		return false;
	if (expiry_ns)
		*expiry_ns = sched.expiry[id - 1];
	return true;
}

unsigned long sim_sched_watchdog_pokes(void)
{
	return sched.pokes;
}

uint64_t sim_sched_periodic_ns(unsigned vcpu)
{
	return vcpu < SIM_MAX_VCPUS ? sched.periodic[vcpu] : 0;
}
