/*
 * The API xen.sys exports to the package's other drivers (xenbus.sys,
 * xenfilt.sys). Private to the package: every image is built together, and
 * XenTouch refuses callers built with other version numbers. All functions
 * are NTAPI (stdcall on x86) except the variadic LogPrintf. Hypercall
 * wrappers run at any IRQL; registry readers need PASSIVE_LEVEL.
 */
#ifndef XEN_API_H
#define XEN_API_H

#include <ntddk.h>
#include <stdarg.h>

#ifndef XEN_API
#define XEN_API __declspec(dllimport)
#endif

/* Log levels: the bits of interfaces.md 7.1. */
#define XEN_LOG_ERROR 0x1u
#define XEN_LOG_WARNING 0x2u
#define XEN_LOG_TRACE 0x4u
#define XEN_LOG_INFO 0x8u
#define XEN_LOG_CRITICAL 0x80000000u

#define XEN_EXTRAVERSION_BYTES 16

/* Load handshake: STATUS_INCOMPATIBLE_DRIVER_BLOCKED unless the numbers are
 * xen.sys's own; STATUS_NOT_SUPPORTED when not running on Xen. PASSIVE. */
XEN_API NTSTATUS NTAPI XenTouch(PCSTR Name, ULONG Major, ULONG Minor, ULONG Micro, ULONG Build);
XEN_API NTSTATUS NTAPI XenVersion(PULONG Major, PULONG Minor);
/* Extra must hold XEN_EXTRAVERSION_BYTES; always NUL-terminated on success. */
XEN_API NTSTATUS NTAPI XenVersionExtra(PSTR Extra);

XEN_API NTSTATUS NTAPI HvmSetParam(ULONG Parameter, ULONGLONG Value);
XEN_API NTSTATUS NTAPI HvmGetParam(ULONG Parameter, PULONGLONG Value);

XEN_API NTSTATUS NTAPI MemoryAddToPhysmap(PFN_NUMBER Pfn, ULONG Space, ULONG_PTR Offset);
/* Result: extents done (may be fewer than Count) on success. */
XEN_API NTSTATUS NTAPI MemoryDecreaseReservation(ULONG Order, ULONG Count, PPFN_NUMBER PfnArray,
						 PULONG Result);
XEN_API NTSTATUS NTAPI MemoryPopulatePhysmap(ULONG Order, ULONG Count, PPFN_NUMBER PfnArray,
					     PULONG Result);

XEN_API NTSTATUS NTAPI EventChannelSend(ULONG Port);
XEN_API NTSTATUS NTAPI EventChannelClose(ULONG Port);

XEN_API NTSTATUS NTAPI SchedShutdownCode(ULONG Reason);
XEN_API NTSTATUS NTAPI SchedShutdown(ULONG Reason);
XEN_API VOID NTAPI SchedYield(VOID);

/* Re-install the hypercall page (Xen forgets it across migration). */
XEN_API NTSTATUS NTAPI HypercallPopulate(VOID);

/* Log at Level to every sink whose mask has that bit; any IRQL up to
 * DISPATCH_LEVEL. */
XEN_API VOID __cdecl LogPrintf(ULONG Level, PCSTR Format, ...);
XEN_API VOID NTAPI LogVPrintf(ULONG Level, PCSTR Format, va_list Arguments);

typedef VOID (NTAPI *XEN_LOG_FUNCTION)(PVOID Argument, PCHAR Buffer, ULONG Length);
typedef struct _XEN_LOG_DISPOSITION XEN_LOG_DISPOSITION, *PXEN_LOG_DISPOSITION;
/* Add a sink for the levels in Mask (non-zero). PASSIVE. */
XEN_API NTSTATUS NTAPI LogAddDisposition(ULONG Mask, XEN_LOG_FUNCTION Function, PVOID Argument,
					 PXEN_LOG_DISPOSITION *Disposition);
/* After this returns Function is no longer called. */
XEN_API VOID NTAPI LogRemoveDisposition(PXEN_LOG_DISPOSITION Disposition);

/* Emulated-device unplug (interfaces.md 6.3). Types: */
#define XEN_UNPLUG_DISKS 0
#define XEN_UNPLUG_NICS 1
/* Carry out the requests decided at load (preamble, then one write per
 * requested type). STATUS_NOT_SUPPORTED without the platform device or off
 * Xen. Any IRQL. */
XEN_API NTSTATUS NTAPI UnplugDevices(VOID);
/* Whether Type is unplugged at this boot. */
XEN_API NTSTATUS NTAPI UnplugGetRequest(ULONG Type, PBOOLEAN Request);
/* The per-boot request counters in Services\xen\Unplug. PASSIVE. */
XEN_API NTSTATUS NTAPI UnplugIncrementValue(ULONG Type);
XEN_API NTSTATUS NTAPI UnplugDecrementValue(ULONG Type);

/* System start options as parsed at load (interfaces.md 5). */
typedef struct _XEN_START_OPTIONS {
	BOOLEAN DbgPrint;
	BOOLEAN BootEmulated;
	BOOLEAN Balloon;
	ULONG WatchdogSeconds;
} XEN_START_OPTIONS, *PXEN_START_OPTIONS;
XEN_API NTSTATUS NTAPI ConfigQueryStartOptions(PXEN_START_OPTIONS Options);

#endif /* XEN_API_H */
