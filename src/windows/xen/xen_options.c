/*
 * System start options: the loader command line from the registry, handed
 * to the core parser. The value is outside input: its type and length are
 * checked and it is read once into a local buffer.
 */
#include "xen_driver.h"

#define XEN_OPTIONS_MAX 1024u

/* UTF-16 to ASCII; anything outside ASCII becomes '?' (no option uses it).
 * Stops at the first NUL. Returns the length written. */
static XEN_INIT_CODE size_t xen_options_narrow(const UCHAR *data, ULONG bytes, char *out,
					       size_t size)
{
	size_t n = 0;
	ULONG i;

	for (i = 0; i + 1 < bytes && n < size; i += 2) {
		USHORT c = (USHORT)(data[i] | (data[i + 1] << 8));

		if (c == 0)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	return n;
}

static XEN_INIT_CODE size_t xen_options_query(char *out, size_t size)
{
	static const WCHAR key_path[] = L"\\Registry\\Machine\\SYSTEM\\CurrentControlSet\\Control";
	enum { info_size = sizeof(KEY_VALUE_PARTIAL_INFORMATION) + XEN_OPTIONS_MAX * 2 };
	KEY_VALUE_PARTIAL_INFORMATION *info = NULL;
	UNICODE_STRING name;
	OBJECT_ATTRIBUTES attrs;
	HANDLE key = NULL;
	ULONG got = 0, type, length;
	size_t n = 0;
	NTSTATUS status;

	RtlInitUnicodeString(&name, key_path);
	InitializeObjectAttributes(&attrs, &name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL,
				   NULL);
	status = ZwOpenKey(&key, KEY_READ, &attrs);
	if (!NT_SUCCESS(status))
		goto out;
	info = os_alloc(info_size);
	if (!info)
		goto out;
	RtlInitUnicodeString(&name, L"SystemStartOptions");
	status = ZwQueryValueKey(key, &name, KeyValuePartialInformation, info, info_size, &got);
	if (!NT_SUCCESS(status)) {
		log_printf(LOG_WARNING, "xen|options: SystemStartOptions not read (0x%08lx)\n",
			   (unsigned long)status);
		goto out;
	}
	/* Fetched once; both fields are checked against what we allocated. */
	type = info->Type;
	length = info->DataLength;
	if (type != REG_SZ || length > info_size - FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data)) {
		log_printf(LOG_ERROR, "xen|options: SystemStartOptions has type %lu length %lu: ignored\n",
			   (unsigned long)type, (unsigned long)length);
		goto out;
	}
	n = xen_options_narrow(info->Data, length, out, size);
out:
	os_free(info);
	if (key)
		ZwClose(key);
	return n;
}

XEN_INIT_CODE void xen_options_read(struct options *out)
{
	char *text = os_alloc(XEN_OPTIONS_MAX + 1);
	size_t len = 0;

	if (text) {
		len = xen_options_query(text, XEN_OPTIONS_MAX);
		text[len] = '\0';
	}
	options_parse(text ? text : "", len, out);
	if (len)
		log_printf(LOG_INFO, "xen|options: %s\n", text);
	os_free(text);
}
