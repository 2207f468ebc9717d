#include <stdlib.h>

#include "evtchn_fixture.h"
#include "hypercall.h"
#include "shared_info.h"

xen_status evtchn_fixture_up(const struct evtchn_fixture_opts *opts)
{
	struct sim_config cfg = {
		.vcpus = opts && opts->vcpus ? opts->vcpus : 1,
		.cpuid_base = 0x40000000,
		.xen_major = 4,
		.xen_minor = 17,
		.domid = 1,
	};
	uint32_t r[4];
	unsigned i;

	sim_init(&cfg);
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	sim_set_upcall(evtchn_upcall);
	os_cpuid(0x40000002, 0, r);
	if (hypercall_init(r[1]) || shared_info_init())
		abort();
	if (opts && opts->fifo_enosys)
		sim_fail(__HYPERVISOR_event_channel_op, EVTCHNOP_init_control, XEN_ENOSYS, 0, 1);
	evtchn_force_2level(opts && opts->force_2level);
	for (i = 1; opts && opts->all_cpus_upcall && i < cfg.vcpus; i++)
		evtchn_cpu_upcall_available(i, true);
	return evtchn_init();
}

void evtchn_fixture_down(void)
{
	host_run_work();
	evtchn_fini();
	evtchn_force_2level(false);
	shared_info_fini();
	hypercall_fini();
	sim_fini();
	host_reset();
}
