/*
 * xenprobe.sys: a test-only driver that imports xen.sys the way xenbus.sys
 * and xenfilt.sys will (through libxen.a and xen.h), so the PE checks and the
 * Wine smoke test cover the import library, x86 name decoration and the
 * export driver being pulled in by an importer. Never shipped.
 */
#include <ntddk.h>

#include "xen.h"
#include "version.h"

/* A pointer in data gives the image a base relocation, like any real one. */
static const char *volatile xenprobe_name = "xenprobe";

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path);

__attribute__((section("INIT"))) NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver,
							    PUNICODE_STRING path)
{
	XEN_START_OPTIONS options;
	NTSTATUS status;

	(void)driver;
	(void)path;
	status = XenTouch(xenprobe_name, XB_VERSION_MAJOR, XB_VERSION_MINOR, XB_VERSION_MICRO,
			  XB_VERSION_BUILD);
	if (status == STATUS_NOT_SUPPORTED) {
		DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
			   "xenprobe|DriverEntry: not on Xen (XenTouch: 0x%08lx)\n",
			   (unsigned long)status);
		return status;
	}
	if (!NT_SUCCESS(status))
		return status;
	/* On Xen: one call of each kind (stdcall, variadic) through the imports. */
	(void)ConfigQueryStartOptions(&options);
	LogPrintf(XEN_LOG_INFO, "xenprobe|DriverEntry: loaded, DBG_PRINT %s\n",
		  options.DbgPrint ? "ON" : "OFF");
	return STATUS_UNSUCCESSFUL;	/* a probe: never stays loaded */
}
