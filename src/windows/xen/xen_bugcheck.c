/*
 * Crash reporting: on a bug check, tell Xen the domain crashed
 * (SCHEDOP_shutdown_code, SHUTDOWN_crash) so the toolstack sees a crash,
 * then log the stop code and its parameters at CRITICAL (port 0xE9 and 0x12).
 */
#include "xen_driver.h"
#include "hypercall.h"

/* The kernel's record of the current stop code and its four parameters. */
__declspec(dllimport) extern ULONG_PTR KiBugCheckData[5];

static KBUGCHECK_REASON_CALLBACK_RECORD xen_bugcheck_record;
static volatile LONG xen_bugcheck_done;
static bool xen_bugcheck_on;

static VOID NTAPI xen_bugcheck_cb(KBUGCHECK_CALLBACK_REASON reason,
				  struct _KBUGCHECK_REASON_CALLBACK_RECORD *record, PVOID data,
				  ULONG length)
{
	struct sched_shutdown shutdown = { .reason = SHUTDOWN_crash };

	(void)reason; (void)record; (void)data; (void)length;
	/* The secondary-dump callback can be called more than once per crash. */
	if (__atomic_exchange_n(&xen_bugcheck_done, 1, __ATOMIC_ACQ_REL))
		return;
	(void)hypercall_sched_op(SCHEDOP_shutdown_code, &shutdown);
	log_printf(LOG_CRITICAL, "xen|BUGCHECK: ====>\n");
	log_printf(LOG_CRITICAL, "xen|BUGCHECK: %08lX: (%p, %p, %p, %p)\n",
		   (unsigned long)KiBugCheckData[0], (void *)KiBugCheckData[1],
		   (void *)KiBugCheckData[2], (void *)KiBugCheckData[3],
		   (void *)KiBugCheckData[4]);
	log_printf(LOG_CRITICAL, "xen|BUGCHECK: <====\n");
}

NTSTATUS xen_bugcheck_register(void)
{
	KeInitializeCallbackRecord((&xen_bugcheck_record));
	if (!KeRegisterBugCheckReasonCallback(&xen_bugcheck_record, xen_bugcheck_cb,
					      KbCallbackSecondaryDumpData, (PUCHAR)"xen"))
		return STATUS_UNSUCCESSFUL;
	xen_bugcheck_on = true;
	return STATUS_SUCCESS;
}

void xen_bugcheck_deregister(void)
{
	if (!xen_bugcheck_on)
		return;
	KeDeregisterBugCheckReasonCallback(&xen_bugcheck_record);
	xen_bugcheck_on = false;
}
