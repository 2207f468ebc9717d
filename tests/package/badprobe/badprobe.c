/*
 * badprobe.sys: a test-only driver that does what xen.sys must never do off
 * Xen, an MSR write before any detection. The Wine stage loads it to prove
 * that its fault check fires. Never shipped.
 */
#include <ntddk.h>
#include <intrin.h>

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path);

__attribute__((section("INIT"))) NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver,
							    PUNICODE_STRING path)
{
	(void)driver;
	(void)path;
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "badprobe|DriverEntry: wrmsr\n");
	__writemsr(0x40000000u, 0);
	return STATUS_UNSUCCESSFUL;
}
