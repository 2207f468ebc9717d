/*
 * Suite "core": the core's modules that need no event-channel layer, on the
 * real hypervisor: detection and version check, the log's port sink, the PV
 * console (dom0 finds the line in xenconsoled's log), the unplug protocol
 * with no platform device (PVH), and the grant table's toolstack entries.
 */
#include "console.h"
#include "detect.h"
#include "gnttab.h"
#include "log.h"
#include "unplug.h"
#include "xt.h"

XT_SCENARIO(core, detect_and_version)
{
	struct detect_info info;
	struct detect_version ver;
	uint32_t r[4];

	XT_CHECK_OK(detect_xen(&info));
	os_cpuid(info.base + 1, 0, r);
	XT_CHECK_EQ(info.major, r[0] >> 16);
	XT_CHECK_EQ(info.major, 4);
	XT_CHECK_EQ(info.minor, 17);
	XT_CHECK(info.hypercall_pages >= 1);
	XT_CHECK(info.hypercall_msr != 0);
	XT_CHECK_OK(detect_version_check(&info, &ver));
	XT_CHECK_EQ(ver.major, 4);
	XT_CHECK_EQ(ver.minor, 17);
	XT_CHECK(!ver.cpuid_mismatch);
	XT_CHECK(detect_has_feature(&ver, XENFEAT_hvm_callback_vector));
	XT_CHECK(detect_has_feature(&ver, XENFEAT_hvm_safe_pvclock));
	xt_note("Xen %u.%u%s at leaf %x, msr %x, hvm features %x", ver.major, ver.minor, ver.extra,
		info.base, info.hypercall_msr, info.hvm_features);
}

XT_SCENARIO(core, log_port_sink)
{
	int handle = -1;

	log_init();
	XT_CHECK_OK(log_add_port_sink(LOG_XEN_PORT, LOG_INFO | LOG_ERROR, &handle));
	/* Xen prints it as a (dN) line; 50-xen.sh checks it arrived. */
	log_printf(LOG_INFO, "XT LOGGED core-log-%u\n", 42u);
	log_printf(LOG_TRACE, "XT LOGGED this-must-not-appear\n");
	guest_printf("XT EXPECT-LOGGED core-log-42\n");
	guest_printf("XT EXPECT-NOT-LOGGED this-must-not-appear\n");
	log_remove_sink(handle);
	XT_CHECK_EQ(log_dropped(), 0);
}

static void console_kick(void *ctx)
{
	struct evtchn_send s = { .port = (evtchn_port_t)(uintptr_t)ctx };

	hypercall_event_channel_op(EVTCHNOP_send, &s);
}

XT_SCENARIO(core, console_to_xenconsoled)
{
	static struct console con;
	struct xencons_interface *ring;
	evtchn_port_t port;
	uint64_t pfn, deadline;
	char line[80];
	size_t n, done = 0;

	XT_CHECK_OK(console_locate(&pfn, &port));
	ring = (void *)(uintptr_t)(pfn << 12);
	console_init(&con);
	XT_CHECK_OK(console_enable(&con, ring, console_kick, (void *)(uintptr_t)port));
	n = guest_snprintf(line, sizeof(line), "XT-CONSOLE hello from the core console\r\n");
	XT_CHECK_OK(console_write(&con, line, n, &done));
	XT_CHECK_EQ(done, n);
	/* xenconsoled drains the ring: out_cons reaches our producer. */
	deadline = os_time_ns() + 5000ull * 1000 * 1000;
	while (READ_ONCE(ring->out_cons) != READ_ONCE(ring->out_prod) && os_time_ns() < deadline) {
		guest_irq_disable();
		guest_halt_until(os_time_ns() + 1000 * 1000);
	}
	XT_CHECK(READ_ONCE(ring->out_cons) == READ_ONCE(ring->out_prod));
	XT_CHECK(console_can_write(&con));
	XT_CHECK_OK(console_status(&con));
	console_disable(&con);
	XT_CHECK_EQ(console_write(&con, "x", 1, &done), -XEN_ENOTCONN);
}

XT_SCENARIO(core, unplug_without_platform_device)
{
	bool request[UNPLUG_TYPES] = { true, true };
	struct unplug_report rep;

	/* PVH has no Xen platform PCI device: nothing answers port 0x10. */
	unplug_init();
	XT_CHECK_EQ(unplug_devices(request, false, 1, 0x090000, &rep), -XEN_ENODEV);
	XT_CHECK_EQ(rep.writes, 0);
	xt_note("port 0x10 answered %x", rep.magic);
}

XT_SCENARIO(core, gnttab_toolstack_entries)
{
	uint64_t store_pfn, cons_pfn, pfn;
	bool ro;

	XT_CHECK_OK(gnttab_init(NULL));
	XT_CHECK(gnttab_frames() >= 1);
	XT_CHECK(gnttab_max_frames() >= gnttab_frames());
	XT_CHECK(gnttab_free_refs() > 0);
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_STORE_PFN, &store_pfn));
	XT_CHECK_OK(hvm_get_param(HVM_PARAM_CONSOLE_PFN, &cons_pfn));
	/* The toolstack granted the console and store rings to dom0. */
	XT_CHECK_OK(gnttab_query_reference(GNTTAB_CONSOLE_REF, &pfn, &ro));
	XT_CHECK_EQ(pfn, cons_pfn);
	XT_CHECK_OK(gnttab_query_reference(GNTTAB_STORE_REF, &pfn, &ro));
	XT_CHECK_EQ(pfn, store_pfn);
	xt_note("grant table: %u of %u frames, %lu free refs", gnttab_frames(), gnttab_max_frames(),
		(unsigned long)gnttab_free_refs());
}
