/*
 * Registry access for xen.sys. Every value read is outside input: its type
 * and length are checked against what was asked for, each fetched once.
 * PASSIVE_LEVEL throughout.
 */
#include "xen_driver.h"

/* Room for one value: REG_DWORD or a short REG_SZ/REG_MULTI_SZ. */
#define XEN_REG_VALUE_MAX 2048u
#define XEN_REG_NAME_MAX 256u

NTSTATUS xen_reg_open_path(HANDLE parent, PUNICODE_STRING path, bool create, HANDLE *key)
{
	OBJECT_ATTRIBUTES attrs;

	*key = NULL;
	InitializeObjectAttributes(&attrs, path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, parent,
				   NULL);
	if (create)
		return ZwCreateKey(key, KEY_ALL_ACCESS, &attrs, 0, NULL, REG_OPTION_NON_VOLATILE,
				   NULL);
	return ZwOpenKey(key, KEY_READ, &attrs);
}

NTSTATUS xen_reg_open(HANDLE parent, PCWSTR path, bool create, HANDLE *key)
{
	UNICODE_STRING name;

	RtlInitUnicodeString(&name, path);
	return xen_reg_open_path(parent, &name, create, key);
}

void xen_reg_close(HANDLE key)
{
	if (key)
		ZwClose(key);
}

/* Query `value` of `key` into a fresh buffer (freed by the caller with
 * os_free) after checking its type; data and length give the payload. */
static NTSTATUS xen_reg_query(HANDLE key, PCWSTR value, ULONG want_type,
			      KEY_VALUE_PARTIAL_INFORMATION **out, const UCHAR **data,
			      ULONG *length)
{
	enum { info_size = sizeof(KEY_VALUE_PARTIAL_INFORMATION) + XEN_REG_VALUE_MAX };
	KEY_VALUE_PARTIAL_INFORMATION *info;
	UNICODE_STRING name;
	ULONG got = 0, type, len;
	NTSTATUS status;

	*out = NULL;
	info = os_alloc(info_size);
	if (!info)
		return STATUS_NO_MEMORY;
	RtlInitUnicodeString(&name, value);
	status = ZwQueryValueKey(key, &name, KeyValuePartialInformation, info, info_size, &got);
	if (!NT_SUCCESS(status))
		goto fail;
	type = info->Type;
	len = info->DataLength;
	if (type != want_type ||
	    len > info_size - FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data)) {
		status = STATUS_OBJECT_TYPE_MISMATCH;
		goto fail;
	}
	*out = info;
	*data = info->Data;
	*length = len;
	return STATUS_SUCCESS;
fail:
	os_free(info);
	return status;
}

NTSTATUS xen_reg_read_dword(HANDLE key, PCWSTR value, uint32_t *out)
{
	KEY_VALUE_PARTIAL_INFORMATION *info;
	const UCHAR *data;
	ULONG len;
	NTSTATUS status = xen_reg_query(key, value, REG_DWORD, &info, &data, &len);

	if (!NT_SUCCESS(status))
		return status;
	if (len == sizeof(uint32_t))
		*out = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		       (uint32_t)data[3] << 24;
	else
		status = STATUS_OBJECT_TYPE_MISMATCH;
	os_free(info);
	return status;
}

NTSTATUS xen_reg_write_dword(HANDLE key, PCWSTR value, uint32_t v)
{
	UNICODE_STRING name;
	ULONG data = v;

	RtlInitUnicodeString(&name, value);
	return ZwSetValueKey(key, &name, 0, REG_DWORD, &data, sizeof(data));
}

NTSTATUS xen_reg_delete_value(HANDLE key, PCWSTR value)
{
	UNICODE_STRING name;

	RtlInitUnicodeString(&name, value);
	return ZwDeleteValueKey(key, &name);
}

/* UTF-16LE to ASCII ('?' outside it), stopping at the end or, unless
 * keep_nul (multi-strings), at a NUL. */
static size_t xen_reg_narrow(const UCHAR *data, ULONG bytes, char *out, size_t size,
			     bool keep_nul)
{
	size_t n = 0;
	ULONG i;

	for (i = 0; i + 1 < bytes && n < size; i += 2) {
		USHORT c = (USHORT)(data[i] | (data[i + 1] << 8));

		if (c == 0 && !keep_nul)
			break;
		out[n++] = c < 0x80 ? (char)c : '?';
	}
	return n;
}

static NTSTATUS xen_reg_read_text(HANDLE key, PCWSTR value, ULONG type, char *out,
				  size_t size, size_t *len)
{
	KEY_VALUE_PARTIAL_INFORMATION *info;
	const UCHAR *data;
	ULONG bytes;
	NTSTATUS status = xen_reg_query(key, value, type, &info, &data, &bytes);

	*len = 0;
	if (!NT_SUCCESS(status))
		return status;
	*len = xen_reg_narrow(data, bytes, out, size, type == REG_MULTI_SZ);
	os_free(info);
	return STATUS_SUCCESS;
}

NTSTATUS xen_reg_read_sz(HANDLE key, PCWSTR value, char *out, size_t size, size_t *len)
{
	return xen_reg_read_text(key, value, REG_SZ, out, size, len);
}

NTSTATUS xen_reg_read_multi_sz(HANDLE key, PCWSTR value, char *out, size_t size, size_t *len)
{
	return xen_reg_read_text(key, value, REG_MULTI_SZ, out, size, len);
}

NTSTATUS xen_reg_subkey_names(HANDLE key, char *out, size_t size, size_t *len)
{
	enum { info_size = sizeof(KEY_BASIC_INFORMATION) + XEN_REG_NAME_MAX * sizeof(WCHAR) };
	KEY_BASIC_INFORMATION *info = os_alloc(info_size);
	NTSTATUS status = STATUS_SUCCESS;
	ULONG index, got, name_len;
	size_t n = 0;

	*len = 0;
	if (!info)
		return STATUS_NO_MEMORY;
	for (index = 0;; index++) {
		status = ZwEnumerateKey(key, index, KeyBasicInformation, info, info_size, &got);
		if (status == STATUS_NO_MORE_ENTRIES) {
			status = STATUS_SUCCESS;
			break;
		}
		if (status == STATUS_BUFFER_OVERFLOW || status == STATUS_BUFFER_TOO_SMALL)
			continue;	/* a name longer than any device ID: skip it */
		if (!NT_SUCCESS(status))
			break;
		name_len = info->NameLength;
		if (name_len > info_size - FIELD_OFFSET(KEY_BASIC_INFORMATION, Name))
			continue;
		/* Each name and its NUL must fit; the list ends with one more NUL. */
		if (n + name_len / 2 + 2 > size) {
			status = STATUS_BUFFER_OVERFLOW;
			break;
		}
		n += xen_reg_narrow((const UCHAR *)info->Name, name_len, out + n, size - n - 2, false);
		out[n++] = '\0';
	}
	if (size > n)
		out[n++] = '\0';
	*len = n;
	os_free(info);
	return status;
}
