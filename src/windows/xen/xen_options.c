/*
 * System start options: the loader command line from the registry, handed
 * to the core parser (which logs and ignores malformed options).
 */
#include "xen_driver.h"

#define XEN_OPTIONS_MAX 1024u

XEN_INIT_CODE void xen_options_read(struct options *out)
{
	static const WCHAR control[] = L"\\Registry\\Machine\\SYSTEM\\CurrentControlSet\\Control";
	char *text = os_alloc(XEN_OPTIONS_MAX + 1);
	HANDLE key = NULL;
	size_t len = 0;
	NTSTATUS status = STATUS_NO_MEMORY;

	if (text) {
		status = xen_reg_open(NULL, control, false, &key);
		if (NT_SUCCESS(status))
			status = xen_reg_read_sz(key, L"SystemStartOptions", text, XEN_OPTIONS_MAX,
						 &len);
		xen_reg_close(key);
	}
	if (!NT_SUCCESS(status))
		log_printf(LOG_WARNING, "xen|options: SystemStartOptions not read (0x%08lx)\n",
			   (unsigned long)status);
	options_parse(text, len, out);
	if (len) {
		text[len] = '\0';
		log_printf(LOG_INFO, "xen|options: %s\n", text);
	}
	os_free(text);
}
