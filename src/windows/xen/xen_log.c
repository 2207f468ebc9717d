/*
 * xen.sys logging: the core logger's sinks (DbgPrint before and off Xen, the
 * Xen and QEMU debug ports on Xen) and the DbgPrint capture that forwards
 * the package's own DbgPrint output ("xen..." prefix) to those sinks.
 */
#include "xen_driver.h"

#define XEN_LOG_ALL (LOG_ERROR | LOG_WARNING | LOG_TRACE | LOG_INFO | LOG_CRITICAL)

/* ---- DbgPrint sink --------------------------------------------------- */

static int xen_dbgprint_sink_handle;

static void xen_dbgprint_sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL, "%.*s", (int)len, buf);
}

xen_status xen_log_early(void)
{
	log_init();
	return log_add_sink(xen_dbgprint_sink, NULL, XEN_LOG_ALL, &xen_dbgprint_sink_handle);
}

xen_status xen_log_ports(uint32_t xen_mask, uint32_t qemu_mask)
{
	xen_status rc = XEN_OK;

	/* A mask of 0 means that sink is not wanted (interfaces.md 7.1). */
	if (xen_mask)
		rc = log_add_port_sink(LOG_XEN_PORT, xen_mask, NULL);
	if (rc == XEN_OK && qemu_mask)
		rc = log_add_port_sink(LOG_QEMU_PORT, qemu_mask, NULL);
	return rc;
}

/* ---- DbgPrint capture ------------------------------------------------ */

/* The callback may run at any IRQL, so it only copies the message into a
 * free slot; a DPC hands the slots to the logger in arrival order. */
#define XEN_CAPTURE_SLOTS 32u
#define XEN_CAPTURE_TEXT 256u

enum { SLOT_FREE, SLOT_FILLING, SLOT_READY };

struct xen_capture_slot {
	volatile LONG state;
	uint32_t level;
	uint32_t seq;
	uint16_t len;
	char text[XEN_CAPTURE_TEXT];
};

static struct xen_capture_slot xen_capture[XEN_CAPTURE_SLOTS];
static volatile uint32_t xen_capture_seq;
static volatile uint32_t xen_capture_dropped;
static KDPC xen_capture_dpc;
static bool xen_capture_on;

/* DbgSetDebugPrintCallback appeared in Vista: resolved at run time. Its
 * callback type has no explicit convention in the kit, so it gets the
 * kernel's default, stdcall on x86 (the mingw header omits it). */
typedef VOID (NTAPI *xen_print_callback)(PSTRING output, ULONG component, ULONG level);
typedef NTSTATUS (NTAPI *xen_set_print_callback_fn)(xen_print_callback cb, BOOLEAN enable);
static xen_set_print_callback_fn xen_set_print_callback;

/* Keep messages at least 4 bytes long starting with lower-case "xen", as the
 * drivers' "<module>|<function>: " prefixes do (interfaces.md 7.2). */
static bool xen_capture_wanted(const char *text, USHORT len)
{
	return len >= 4 && text[0] == 'x' && text[1] == 'e' && text[2] == 'n';
}

static VOID NTAPI xen_capture_cb(PSTRING output, ULONG component, ULONG level)
{
	const char *text;
	USHORT len;
	unsigned i;

	(void)component;
	if (!output)
		return;
	/* One fetch of each field of the caller's string. */
	text = output->Buffer;
	len = output->Length;
	if (!text || !xen_capture_wanted(text, len))
		return;
	if (len > XEN_CAPTURE_TEXT)
		len = XEN_CAPTURE_TEXT;
	for (i = 0; i < XEN_CAPTURE_SLOTS; i++) {
		struct xen_capture_slot *slot = &xen_capture[i];
		LONG expected = SLOT_FREE;

		if (!__atomic_compare_exchange_n(&slot->state, &expected, SLOT_FILLING, false,
						 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		__builtin_memcpy(slot->text, text, len);
		slot->len = len;
		/* DPFLTR levels 0..31 are bit numbers; larger values are masks. */
		slot->level = level < 32 ? 1u << level : (uint32_t)level;
		slot->seq = __atomic_fetch_add(&xen_capture_seq, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&slot->state, SLOT_READY, __ATOMIC_RELEASE);
		KeInsertQueueDpc(&xen_capture_dpc, NULL, NULL);
		return;
	}
	__atomic_fetch_add(&xen_capture_dropped, 1, __ATOMIC_RELAXED);
}

/* The ready slot with the lowest sequence number (wrap-safe), or NULL. */
static struct xen_capture_slot *xen_capture_oldest(void)
{
	struct xen_capture_slot *best = NULL;
	unsigned i;

	for (i = 0; i < XEN_CAPTURE_SLOTS; i++) {
		struct xen_capture_slot *slot = &xen_capture[i];

		if (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) != SLOT_READY)
			continue;
		if (!best || (int32_t)(slot->seq - best->seq) < 0)
			best = slot;
	}
	return best;
}

static VOID NTAPI xen_capture_flush(PKDPC dpc, PVOID ctx, PVOID a1, PVOID a2)
{
	struct xen_capture_slot *slot;
	char line[XEN_CAPTURE_TEXT + 1];
	uint32_t dropped;

	(void)dpc; (void)ctx; (void)a1; (void)a2;
	while ((slot = xen_capture_oldest()) != NULL) {
		uint32_t level = slot->level;

		__builtin_memcpy(line, slot->text, slot->len);
		line[slot->len] = '\0';
		__atomic_store_n(&slot->state, SLOT_FREE, __ATOMIC_RELEASE);
		log_printf(level, "%s", line);
	}
	dropped = __atomic_exchange_n(&xen_capture_dropped, 0, __ATOMIC_RELAXED);
	if (dropped)
		log_printf(LOG_WARNING, "xen|log: %u DbgPrint messages dropped (all slots busy)\n",
			   (unsigned)dropped);
}

NTSTATUS xen_log_capture_start(void)
{
	UNICODE_STRING name;
	NTSTATUS status;

	RtlInitUnicodeString(&name, L"DbgSetDebugPrintCallback");
	xen_set_print_callback = (xen_set_print_callback_fn)MmGetSystemRoutineAddress(&name);
	if (!xen_set_print_callback) {
		log_printf(LOG_WARNING, "xen|log: no DbgSetDebugPrintCallback: DbgPrint not captured\n");
		return STATUS_NOT_SUPPORTED;
	}
	KeInitializeDpc(&xen_capture_dpc, xen_capture_flush, NULL);
	/* The package's drivers print with DPFLTR_IHVDRIVER_ID; let every level
	 * of it through the kernel's filter so the callback sees it. */
	for (ULONG level = DPFLTR_ERROR_LEVEL; level <= DPFLTR_INFO_LEVEL; level++)
		(void)DbgSetDebugFilterState(DPFLTR_IHVDRIVER_ID, level, TRUE);
	/* Our own DbgPrint sink would be captured again: ports only from now. */
	(void)log_set_sink_mask(xen_dbgprint_sink_handle, LOG_NONE);
	status = xen_set_print_callback(xen_capture_cb, TRUE);
	if (!NT_SUCCESS(status)) {
		(void)log_set_sink_mask(xen_dbgprint_sink_handle, XEN_LOG_ALL);
		log_printf(LOG_ERROR, "xen|log: DbgSetDebugPrintCallback failed (0x%08lx)\n",
			   (unsigned long)status);
		return status;
	}
	xen_capture_on = true;
	return STATUS_SUCCESS;
}

void xen_log_capture_stop(void)
{
	if (!xen_capture_on)
		return;
	xen_set_print_callback(xen_capture_cb, FALSE);
	xen_capture_on = false;
	KeFlushQueuedDpcs();
	(void)log_set_sink_mask(xen_dbgprint_sink_handle, XEN_LOG_ALL);
}
