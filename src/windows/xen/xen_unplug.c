/*
 * The emulated-device unplug requests: registry in, core decision out
 * (unplug.h holds the protocol and the decision table), plus the exports
 * xenbus and xenfilt use to carry them out and to keep the counters.
 */
#define XEN_API
#include "xen.h"
#include "xen_driver.h"
#include "unplug.h"
#include "version.h"

#define XEN_UNPLUG_ENUM L"\\Registry\\Machine\\SYSTEM\\CurrentControlSet\\Enum\\XENBUS"
#define XEN_UNPLUG_NAMES_MAX 4096u

static const PCWSTR xen_unplug_value[UNPLUG_TYPES] = { L"DISKS", L"NICS" };
static const char *const xen_unplug_label[UNPLUG_TYPES] = { "DISKS", "NICS" };

static HANDLE xen_unplug_key;	/* Services\xen\Unplug, for the counters */
static FAST_MUTEX xen_unplug_mutex;	/* serialises counter updates */
static bool xen_unplug_request[UNPLUG_TYPES];
static bool xen_unplug_ready;

_Static_assert(XEN_UNPLUG_DISKS == UNPLUG_DISKS && XEN_UNPLUG_NICS == UNPLUG_NICS,
	       "export numbering follows the core's");

/* Subkey names of Enum\XENBUS: where installed PV devices show up. */
static size_t xen_unplug_enum_names(char *names, size_t size)
{
	HANDLE key;
	size_t len = 0;

	if (NT_SUCCESS(xen_reg_open(NULL, XEN_UNPLUG_ENUM, false, &key))) {
		(void)xen_reg_subkey_names(key, names, size, &len);
		xen_reg_close(key);
	}
	return len;
}

void xen_unplug_start(HANDLE service_key)
{
	char *names = os_alloc(XEN_UNPLUG_NAMES_MAX);
	size_t names_len = names ? xen_unplug_enum_names(names, XEN_UNPLUG_NAMES_MAX) : 0;
	HANDLE force = NULL;
	NTSTATUS status;
	unsigned t;

	ExInitializeFastMutex(&xen_unplug_mutex);
	unplug_init();
	status = xen_reg_open(service_key, L"Unplug", true, &xen_unplug_key);
	if (!NT_SUCCESS(status))
		log_printf(LOG_ERROR, "xen|unplug: Unplug key not opened (0x%08lx)\n",
			   (unsigned long)status);
	(void)xen_reg_open(service_key, L"ForceUnplug", false, &force);

	for (t = 0; t < UNPLUG_TYPES; t++) {
		struct unplug_inputs in = { 0 };
		struct unplug_decision d;

		in.force_present = force && NT_SUCCESS(xen_reg_read_dword(force, xen_unplug_value[t],
									   &in.force));
		in.value_present = xen_unplug_key &&
				   NT_SUCCESS(xen_reg_read_dword(xen_unplug_key, xen_unplug_value[t],
								 &in.value));
		in.device_known = names && unplug_device_known(names, names_len, (enum unplug_type)t);
		d = unplug_decide(&in);
		if (d.delete_value && xen_unplug_key)
			(void)xen_reg_delete_value(xen_unplug_key, xen_unplug_value[t]);
		xen_unplug_request[t] = d.request;
		log_printf(LOG_INFO, "xen|unplug: %s %s\n", xen_unplug_label[t],
			   d.request ? "requested" : "not requested");
	}
	xen_reg_close(force);
	os_free(names);
	xen_unplug_ready = true;
}

void xen_unplug_stop(void)
{
	xen_unplug_ready = false;
	xen_reg_close(xen_unplug_key);
	xen_unplug_key = NULL;
}

NTSTATUS NTAPI UnplugDevices(VOID)
{
	struct unplug_report rep;
	xen_status rc;

	if (!xen_unplug_ready)
		return STATUS_NOT_SUPPORTED;
	rc = unplug_devices(xen_unplug_request, xen_state.options.boot_emulated,
			    UNPLUG_PRODUCT_DEFAULT,
			    (uint32_t)XB_VERSION_MAJOR << 16 | (uint32_t)XB_VERSION_MINOR << 8 |
				    (uint32_t)XB_VERSION_MICRO,
			    &rep);
	return os_windows_status(rc);
}

NTSTATUS NTAPI UnplugGetRequest(ULONG Type, PBOOLEAN Request)
{
	if (Type >= UNPLUG_TYPES || !Request)
		return STATUS_INVALID_PARAMETER;
	if (!xen_unplug_ready)
		return STATUS_NOT_SUPPORTED;
	*Request = xen_unplug_request[Type];
	return STATUS_SUCCESS;
}

static NTSTATUS xen_unplug_count(ULONG Type, bool make)
{
	uint32_t value = 0, next;
	NTSTATUS status;
	xen_status rc;
	bool present;

	if (Type >= UNPLUG_TYPES)
		return STATUS_INVALID_PARAMETER;
	if (!xen_unplug_ready || !xen_unplug_key)
		return STATUS_NOT_SUPPORTED;
	ExAcquireFastMutex(&xen_unplug_mutex);
	present = NT_SUCCESS(xen_reg_read_dword(xen_unplug_key, xen_unplug_value[Type], &value));
	rc = unplug_counter_update(present, value, make, &next);
	status = os_windows_status(rc);
	if (rc == XEN_OK)
		status = xen_reg_write_dword(xen_unplug_key, xen_unplug_value[Type], next);
	ExReleaseFastMutex(&xen_unplug_mutex);
	return status;
}

NTSTATUS NTAPI UnplugIncrementValue(ULONG Type)
{
	return xen_unplug_count(Type, true);
}

NTSTATUS NTAPI UnplugDecrementValue(ULONG Type)
{
	return xen_unplug_count(Type, false);
}
