/*
 * The functions xen.sys exports (xen.h): thin adapters from the Windows
 * calling conventions and NTSTATUS to the core. No Xen logic here.
 */
#define XEN_API
#include "xen.h"
#include "xen_driver.h"
#include "hypercall.h"
#include "shutdown.h"
#include "version.h"

static NTSTATUS xen_result(long rc)
{
	return rc < 0 ? os_windows_status((xen_status)rc) : STATUS_SUCCESS;
}

NTSTATUS NTAPI XenTouch(PCSTR Name, ULONG Major, ULONG Minor, ULONG Micro, ULONG Build)
{
	if (Major != XB_VERSION_MAJOR || Minor != XB_VERSION_MINOR || Micro != XB_VERSION_MICRO ||
	    Build != XB_VERSION_BUILD) {
		log_printf(LOG_INFO, "xen|XenTouch: %s is version %lu.%lu.%lu.%lu, xen.sys %u.%u.%u.%u: reboot needed\n",
			   Name ? Name : "?", (unsigned long)Major, (unsigned long)Minor,
			   (unsigned long)Micro, (unsigned long)Build, XB_VERSION_MAJOR,
			   XB_VERSION_MINOR, XB_VERSION_MICRO, XB_VERSION_BUILD);
		return STATUS_INCOMPATIBLE_DRIVER_BLOCKED;
	}
	return xen_state.on_xen ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
}

/* From what detect_version_check read and validated at load. */
NTSTATUS NTAPI XenVersion(PULONG Major, PULONG Minor)
{
	if (!xen_state.on_xen)
		return STATUS_NOT_SUPPORTED;
	*Major = xen_state.version.major;
	*Minor = xen_state.version.minor;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI XenVersionExtra(PSTR Extra)
{
	_Static_assert(sizeof(xen_state.version.extra) == XEN_EXTRAVERSION_BYTES,
		       "extraversion size");
	if (!xen_state.on_xen)
		return STATUS_NOT_SUPPORTED;
	__builtin_memcpy(Extra, xen_state.version.extra, XEN_EXTRAVERSION_BYTES);
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI HvmSetParam(ULONG Parameter, ULONGLONG Value)
{
	return os_windows_status(hvm_set_param(Parameter, Value));
}

NTSTATUS NTAPI HvmGetParam(ULONG Parameter, PULONGLONG Value)
{
	uint64_t v;
	xen_status rc = hvm_get_param(Parameter, &v);

	if (rc == XEN_OK)
		*Value = v;
	return os_windows_status(rc);
}

NTSTATUS NTAPI MemoryAddToPhysmap(PFN_NUMBER Pfn, ULONG Space, ULONG_PTR Offset)
{
	struct xen_add_to_physmap map = {
		.domid = DOMID_SELF,
		.space = Space,
		.idx = Offset,
		.gpfn = Pfn,
	};

	return xen_result(hypercall_memory_op(XENMEM_add_to_physmap, &map));
}

static NTSTATUS xen_reservation(unsigned cmd, ULONG Order, ULONG Count, PPFN_NUMBER PfnArray,
				PULONG Result)
{
	struct xen_memory_reservation r = {
		.nr_extents = Count,
		.extent_order = Order,
		.mem_flags = 0,
		.domid = DOMID_SELF,
	};
	long rc;

	/* PFN_NUMBER and xen_pfn_t are both the guest word size. */
	_Static_assert(sizeof(PFN_NUMBER) == sizeof(xen_pfn_t), "pfn size");
	set_xen_guest_handle(r.extent_start, (xen_pfn_t *)PfnArray);
	rc = hypercall_memory_op(cmd, &r);
	if (rc < 0)
		return xen_result(rc);
	/* Xen reports how many it did: never more than asked. */
	if ((unsigned long)rc > Count)
		return STATUS_UNSUCCESSFUL;
	*Result = (ULONG)rc;
	return STATUS_SUCCESS;
}

NTSTATUS NTAPI MemoryDecreaseReservation(ULONG Order, ULONG Count, PPFN_NUMBER PfnArray,
					 PULONG Result)
{
	return xen_reservation(XENMEM_decrease_reservation, Order, Count, PfnArray, Result);
}

NTSTATUS NTAPI MemoryPopulatePhysmap(ULONG Order, ULONG Count, PPFN_NUMBER PfnArray,
				     PULONG Result)
{
	return xen_reservation(XENMEM_populate_physmap, Order, Count, PfnArray, Result);
}

NTSTATUS NTAPI EventChannelSend(ULONG Port)
{
	struct evtchn_send op = { .port = Port };

	return xen_result(hypercall_event_channel_op(EVTCHNOP_send, &op));
}

NTSTATUS NTAPI EventChannelClose(ULONG Port)
{
	struct evtchn_close op = { .port = Port };

	return xen_result(hypercall_event_channel_op(EVTCHNOP_close, &op));
}

NTSTATUS NTAPI SchedShutdownCode(ULONG Reason)
{
	struct sched_shutdown op = { .reason = Reason };

	return xen_result(hypercall_sched_op(SCHEDOP_shutdown_code, &op));
}

NTSTATUS NTAPI SchedShutdown(ULONG Reason)
{
	return os_windows_status(shutdown_domain(Reason));
}

VOID NTAPI SchedYield(VOID)
{
	(void)hypercall_sched_op(SCHEDOP_yield, NULL);
}

NTSTATUS NTAPI HypercallPopulate(VOID)
{
	if (!xen_state.on_xen)
		return STATUS_NOT_SUPPORTED;
	return os_windows_status(hypercall_init(xen_state.info.hypercall_msr));
}

/* ---- logging ---------------------------------------------------------- */

VOID NTAPI LogVPrintf(ULONG Level, PCSTR Format, va_list Arguments)
{
	log_vprintf(Level, Format, Arguments);
}

VOID __cdecl LogPrintf(ULONG Level, PCSTR Format, ...)
{
	va_list ap;

	va_start(ap, Format);
	LogVPrintf(Level, Format, ap);
	va_end(ap);
}

struct _XEN_LOG_DISPOSITION {
	XEN_LOG_FUNCTION function;
	PVOID argument;
	int handle;
};

/* The core sink calls this; the caller's function has the Windows calling
 * convention and a non-const buffer. */
static void xen_disposition_write(void *ctx, const char *buf, size_t len)
{
	PXEN_LOG_DISPOSITION d = ctx;

	d->function(d->argument, (PCHAR)buf, (ULONG)len);
}

NTSTATUS NTAPI LogAddDisposition(ULONG Mask, XEN_LOG_FUNCTION Function, PVOID Argument,
				 PXEN_LOG_DISPOSITION *Disposition)
{
	PXEN_LOG_DISPOSITION d;
	xen_status rc;

	if (!Mask || !Function || !Disposition)
		return STATUS_INVALID_PARAMETER;
	d = os_alloc(sizeof(*d));
	if (!d)
		return STATUS_NO_MEMORY;
	d->function = Function;
	d->argument = Argument;
	rc = log_add_sink(xen_disposition_write, d, Mask, &d->handle);
	if (rc != XEN_OK) {
		os_free(d);
		return os_windows_status(rc);
	}
	*Disposition = d;
	return STATUS_SUCCESS;
}

VOID NTAPI LogRemoveDisposition(PXEN_LOG_DISPOSITION Disposition)
{
	if (!Disposition)
		return;
	/* Once removed the core never calls the sink again: safe to free. */
	log_remove_sink(Disposition->handle);
	os_free(Disposition);
}

NTSTATUS NTAPI ConfigQueryStartOptions(PXEN_START_OPTIONS Options)
{
	if (!Options)
		return STATUS_INVALID_PARAMETER;
	Options->DbgPrint = xen_state.options.dbg_print;
	Options->BootEmulated = xen_state.options.boot_emulated;
	Options->Balloon = xen_state.options.balloon;
	Options->WatchdogSeconds = xen_state.options.watchdog_s;
	return STATUS_SUCCESS;
}
