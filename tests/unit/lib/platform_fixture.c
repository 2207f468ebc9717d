#include <stdlib.h>

#include "evtchn.h"
#include "platform_fixture.h"

void platform_fixture_model(void)
{
	struct sim_config cfg = {
		.vcpus = PLATFORM_FIXTURE_VCPUS,
		.cpuid_base = 0x40000000,
		.xen_major = 4,
		.xen_minor = 17,
		.domid = 1,
	};

	sim_init(&cfg);
	sim_version_init();
	sim_shared_info_init();
	sim_evtchn_init(NULL);
	sim_gnttab_init();
	sim_sched_init();
	sim_hvm_init();
	sim_xenstore_init();
	sim_console_init();
	sim_platform_init(NULL);
	sim_suspend_init();
	sim_set_upcall(evtchn_upcall);
	host_time_virtual(true);
}

static void *fixture_map(void *ctx, uint64_t pfn)
{
	(void)ctx;
	return sim_frame(pfn);
}

void platform_fixture_config(struct platform_config *cfg)
{
	*cfg = (struct platform_config){ 0 };
	options_defaults(&cfg->options);
	cfg->upcall_cpus = PLATFORM_FIXTURE_VCPUS;
	cfg->map_frame = fixture_map;
}

void platform_fixture_settle(void)
{
	unsigned i;

	for (i = 0; i < 20; i++) {
		sim_poll();
		host_run_work();
	}
}

void platform_fixture_warm_up(void)
{
	struct platform_config cfg;
	struct platform p;

	platform_fixture_model();
	platform_fixture_config(&cfg);
	if (platform_init(&p, &cfg))
		abort();
	platform_fini(&p);
	platform_fixture_done();
}

void platform_fixture_done(void)
{
	host_run_work();
	sim_fini();
	host_reset();
}
