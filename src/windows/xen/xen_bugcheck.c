/*
 * Crash reporting: on a bug check, tell Xen the domain crashed
 * (SCHEDOP_shutdown_code, SHUTDOWN_crash) so the toolstack sees a crash,
 * then write the stop code and its parameters to the Xen and QEMU debug
 * ports. Registered only on Xen, so the ports exist.
 */
#include "xen_driver.h"
#include "shutdown.h"

/* The kernel's record of the current stop code and its four parameters. */
__declspec(dllimport) extern ULONG_PTR KiBugCheckData[5];

/* Two registrations: the secondary-dump reason callback runs early but only
 * when a dump is written; the classic callback runs on every bug check. The
 * first to run reports. */
static KBUGCHECK_REASON_CALLBACK_RECORD xen_bugcheck_reason_record;
static KBUGCHECK_CALLBACK_RECORD xen_bugcheck_record;
static volatile LONG xen_bugcheck_done;
static bool xen_bugcheck_reason_on;
static bool xen_bugcheck_on;

/* Other CPUs are frozen, maybe holding the log lock: the crash lines go
 * straight to both debug ports (CRITICAL reaches both by default). */
static void xen_bugcheck_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void xen_bugcheck_line(const char *fmt, ...)
{
	char line[LOG_SLOT_SIZE];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	n = log_format(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	os_outsb(LOG_XEN_PORT, line, n);
	os_outsb(LOG_QEMU_PORT, line, n);
}

static void xen_bugcheck_report(void)
{
	if (__atomic_exchange_n(&xen_bugcheck_done, 1, __ATOMIC_ACQ_REL))
		return;
	(void)shutdown_report_crash();
	xen_bugcheck_line("xen|BUGCHECK: ====>\n");
	xen_bugcheck_line("xen|BUGCHECK: %08lX: (%p, %p, %p, %p)\n",
			  (unsigned long)KiBugCheckData[0], (void *)KiBugCheckData[1],
			  (void *)KiBugCheckData[2], (void *)KiBugCheckData[3],
			  (void *)KiBugCheckData[4]);
	xen_bugcheck_line("xen|BUGCHECK: <====\n");
}

static VOID NTAPI xen_bugcheck_reason_cb(KBUGCHECK_CALLBACK_REASON reason,
					 struct _KBUGCHECK_REASON_CALLBACK_RECORD *record,
					 PVOID data, ULONG length)
{
	(void)reason; (void)record; (void)data; (void)length;
	xen_bugcheck_report();
}

static VOID NTAPI xen_bugcheck_cb(PVOID buffer, ULONG length)
{
	(void)buffer; (void)length;
	xen_bugcheck_report();
}

NTSTATUS xen_bugcheck_register(void)
{
	KeInitializeCallbackRecord((&xen_bugcheck_reason_record));
	xen_bugcheck_reason_on = KeRegisterBugCheckReasonCallback(
		&xen_bugcheck_reason_record, xen_bugcheck_reason_cb, KbCallbackSecondaryDumpData,
		(PUCHAR)"xen");
	KeInitializeCallbackRecord((&xen_bugcheck_record));
	xen_bugcheck_on = KeRegisterBugCheckCallback(&xen_bugcheck_record, xen_bugcheck_cb, NULL, 0,
						     (PUCHAR)"xen");
	if (!xen_bugcheck_reason_on && !xen_bugcheck_on)
		return STATUS_UNSUCCESSFUL;
	return STATUS_SUCCESS;
}

void xen_bugcheck_deregister(void)
{
	if (xen_bugcheck_reason_on)
		KeDeregisterBugCheckReasonCallback(&xen_bugcheck_reason_record);
	if (xen_bugcheck_on)
		KeDeregisterBugCheckCallback(&xen_bugcheck_record);
	xen_bugcheck_reason_on = false;
	xen_bugcheck_on = false;
}
