#include <string.h>

#include "sim_console.h"
#include "sim_evtchn.h"
#include "sim_gnttab.h"
#include "sim_hvm.h"
#include "sim_sched.h"
#include "sim_suspend.h"
#include "sim_xenstore.h"

static struct {
	struct sim_suspend_plan plan;
	void (*window)(void *ctx);
	void *window_ctx;
	unsigned calls, new_domains;
} ss;

/* xenstored kicks the guest through the store port. */
static void sim_suspend_store_notify(void *ctx)
{
	/* The param, not our copy: a guest EVTCHNOP_reset rebinds the port
	 * and rewrites it. */
	evtchn_port_t port = (evtchn_port_t)sim_hvm_get(HVM_PARAM_STORE_EVTCHN);

	(void)ctx;
	if (port)
		sim_evtchn_remote_send(port);
}

/* A guest port dom0 has bound to (what xenstored and xenconsoled do). */
static evtchn_port_t sim_suspend_dom0_port(void)
{
	evtchn_port_t port = sim_evtchn_local_alloc_unbound(0);

	if (!port || !sim_evtchn_remote_bind(0, port))
		return 0;
	return port;
}

static void sim_suspend_publish(struct xenstore_domain_interface *store_page)
{
	sim_hvm_set(HVM_PARAM_STORE_PFN, (uint64_t)(uintptr_t)store_page >> 12);
	sim_hvm_set(HVM_PARAM_STORE_EVTCHN, sim_suspend_dom0_port());
	sim_hvm_set(HVM_PARAM_CONSOLE_PFN, sim_console_pfn());
	sim_hvm_set(HVM_PARAM_CONSOLE_EVTCHN, sim_suspend_dom0_port());
}

static long sim_suspend_hook(void)
{
	ss.calls++;
	if (ss.window)
		ss.window(ss.window_ctx);
	switch (ss.plan.mode) {
	case SIM_SUSPEND_CANCEL:
		return 1;
	case SIM_SUSPEND_FAIL:
		return -(long)ss.plan.fail_errno;
	case SIM_SUSPEND_SAME_DOMAIN:
		return ss.plan.result;
	case SIM_SUSPEND_NEW_DOMAIN:
		break;
	}
	ss.new_domains++;
	sim_sched_new_domain();
	sim_shared_info_new_domain();
	sim_evtchn_new_domain(ss.plan.first_port);
	sim_gnttab_resume();
	sim_suspend_publish(sim_xenstore_move(true));
	return ss.plan.result;
}

static void sim_suspend_fini(void)
{
	sim_sched_set_suspend_hook(NULL);
	memset(&ss, 0, sizeof(ss));
}

void sim_suspend_init(void)
{
	struct xenstore_domain_interface *page;

	memset(&ss, 0, sizeof(ss));
	/* The toolstack's ring page as sim_xenstore_init made it. */
	page = sim_xenstore_move(false);
	sim_xenstore_set_notify(sim_suspend_store_notify, NULL);
	sim_suspend_publish(page);
	sim_sched_set_suspend_hook(sim_suspend_hook);
	sim_register_fini(sim_suspend_fini);
}

void sim_suspend_set_plan(const struct sim_suspend_plan *plan)
{
	ss.plan = *plan;
}

void sim_suspend_set_window(void (*fn)(void *ctx), void *ctx)
{
	ss.window = fn;
	ss.window_ctx = ctx;
}

unsigned sim_suspend_calls(void)
{
	return ss.calls;
}

unsigned sim_suspend_new_domains(void)
{
	return ss.new_domains;
}

evtchn_port_t sim_suspend_store_port(void)
{
	return (evtchn_port_t)sim_hvm_get(HVM_PARAM_STORE_EVTCHN);
}

evtchn_port_t sim_suspend_console_port(void)
{
	return (evtchn_port_t)sim_hvm_get(HVM_PARAM_CONSOLE_EVTCHN);
}
