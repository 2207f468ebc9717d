/*
 * xen.sys entry points. Loaded as an export driver (the kernel calls
 * DllInitialize when xenbus.sys or xenfilt.sys imports it) or, for tests,
 * as a service (DriverEntry). Either way the same start-up runs once:
 * detection first, touching only CPUID, so that off Xen nothing reaches a
 * hypercall, an MSR or a Xen port, and the image reports "not on Xen".
 */
#include "xen_driver.h"
#include "hypercall.h"
#include "log_levels.h"
#include "version.h"

struct xen_state xen_state;

static NTSTATUS xen_start_status;
static bool xen_started;

static void xen_stop(void)
{
	if (!xen_started)
		return;
	xen_bugcheck_deregister();
	xen_unplug_stop();
	xen_log_capture_stop();
	hypercall_fini();
	xen_state.on_xen = false;
	os_windows_fini();
	xen_started = false;
}

/* The service key (...\Services\xen) the loader named; NULL if none. */
static HANDLE xen_open_service(PUNICODE_STRING path)
{
	HANDLE service = NULL;
	NTSTATUS status = path ? xen_reg_open_path(NULL, path, false, &service)
			       : STATUS_OBJECT_NAME_NOT_FOUND;

	if (!NT_SUCCESS(status))
		log_printf(LOG_WARNING, "xen|init: service key not opened (0x%08lx)\n",
			   (unsigned long)status);
	return NT_SUCCESS(status) ? service : NULL;
}

/* A port sink's mask from Parameters\<value> (REG_MULTI_SZ of level
 * names), or its default when the value is absent or unreadable. */
static uint32_t xen_log_mask(HANDLE parameters, PCWSTR value, uint32_t fallback)
{
	char names[128];
	size_t len;
	unsigned unknown;
	uint32_t mask;

	if (!parameters ||
	    !NT_SUCCESS(xen_reg_read_multi_sz(parameters, value, names, sizeof(names), &len)))
		return fallback;
	mask = log_levels_parse(names, len, &unknown);
	if (unknown)
		log_printf(LOG_WARNING, "xen|init: %u unknown level names ignored\n", unknown);
	return mask;
}

static xen_status xen_start_logging(HANDLE service)
{
	HANDLE parameters = NULL;
	uint32_t xen_mask, qemu_mask;

	if (service)
		(void)xen_reg_open(service, L"Parameters", false, &parameters);
	xen_mask = xen_log_mask(parameters, L"XenLogLevel", LOG_XEN_DEFAULT_MASK);
	qemu_mask = xen_log_mask(parameters, L"QemuLogLevel", LOG_QEMU_DEFAULT_MASK);
	xen_reg_close(parameters);
	return xen_log_ports(xen_mask, qemu_mask);
}

static NTSTATUS xen_start_once(PUNICODE_STRING path)
{
	HANDLE service = NULL;
	NTSTATUS status;
	xen_status rc;

	status = os_windows_init();
	if (!NT_SUCCESS(status)) {
		DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
			   "xen|init: OS services failed (0x%08lx)\n", (unsigned long)status);
		return status;
	}
	xen_started = true;
	rc = xen_log_early();
	if (rc != XEN_OK)
		DbgPrintEx(DPFLTR_IHVDRIVER_ID, DPFLTR_ERROR_LEVEL,
			   "xen|init: no log sink (%s)\n", status_name(rc));
	log_printf(LOG_INFO, "xen|init: version %u.%u.%u.%u\n", XB_VERSION_MAJOR,
		   XB_VERSION_MINOR, XB_VERSION_MICRO, XB_VERSION_BUILD);

	rc = detect_xen(&xen_state.info);
	if (rc == -XEN_ENODEV) {
		log_printf(LOG_ERROR, "xen|init: not on Xen (no Xen CPUID leaves): nothing to do\n");
		status = STATUS_NOT_SUPPORTED;
		goto fail;
	}
	if (rc != XEN_OK) {
		log_printf(LOG_ERROR, "xen|init: Xen detection failed (%s)\n", status_name(rc));
		status = os_windows_status(rc);
		goto fail;
	}
	rc = hypercall_init(xen_state.info.hypercall_msr);
	if (rc != XEN_OK) {
		log_printf(LOG_ERROR, "xen|init: no hypercall page (%s)\n", status_name(rc));
		status = os_windows_status(rc);
		goto fail;
	}
	xen_state.on_xen = true;
	service = xen_open_service(path);
	rc = xen_start_logging(service);
	if (rc != XEN_OK)
		log_printf(LOG_WARNING, "xen|init: log ports not added (%s)\n", status_name(rc));
	log_printf(LOG_INFO, "xen|init: Xen %u.%u (CPUID base 0x%08x)\n",
		   (unsigned)xen_state.info.major, (unsigned)xen_state.info.minor,
		   (unsigned)xen_state.info.base);
	/* The first hypercalls: proves the page works before anyone relies on it. */
	rc = detect_version_check(&xen_state.info, &xen_state.version);
	if (rc != XEN_OK) {
		log_printf(LOG_ERROR, "xen|init: XENVER_* failed (%s)\n", status_name(rc));
		status = os_windows_status(rc);
		goto fail;
	}

	xen_options_read(&xen_state.options);
	if (xen_state.options.dbg_print)
		(void)xen_log_capture_start();
	xen_unplug_start(service);
	xen_reg_close(service);
	service = NULL;
	status = xen_bugcheck_register();
	if (!NT_SUCCESS(status)) {
		log_printf(LOG_ERROR, "xen|init: bug check callback not registered\n");
		goto fail;
	}
	return STATUS_SUCCESS;

fail:
	xen_reg_close(service);
	xen_stop();
	return status;
}

/* Both entry points may run (a test loads the image as a service, the
 * kernel as an import): the first one starts, the other gets its result. */
static NTSTATUS xen_start(PUNICODE_STRING path)
{
	static bool tried;

	if (!tried) {
		tried = true;
		xen_start_status = xen_start_once(path);
	}
	return xen_start_status;
}

NTSTATUS NTAPI DllInitialize(PUNICODE_STRING RegistryPath)
{
	return xen_start(RegistryPath);
}

NTSTATUS NTAPI DllUnload(VOID)
{
	log_printf(LOG_INFO, "xen|unload\n");
	xen_stop();
	return STATUS_SUCCESS;
}

static VOID NTAPI xen_driver_unload(PDRIVER_OBJECT driver)
{
	(void)driver;
	(void)DllUnload();
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path);

XEN_INIT_CODE NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING path)
{
	NTSTATUS status;

	status = xen_start(path);
	if (NT_SUCCESS(status))
		driver->DriverUnload = xen_driver_unload;
	return status;
}
