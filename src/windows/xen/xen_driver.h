/*
 * xen.sys internals shared between its files (not exported).
 */
#ifndef XB_XEN_DRIVER_H
#define XB_XEN_DRIVER_H

#include "os_windows.h"
#include "detect.h"
#include "log.h"
#include "options.h"

/* Code only run while the image initialises: discarded by the loader after. */
#define XEN_INIT_CODE __attribute__((section("INIT")))

/* Package-wide state set up by xen_start. */
struct xen_state {
	struct detect_info info;
	struct detect_version version;
	struct options options;
	bool on_xen;
};
extern struct xen_state xen_state;

/* Logging (xen_log.c). PASSIVE_LEVEL unless stated. */
/* log_init plus a DbgPrint sink, before anything touches the machine. */
xen_status xen_log_early(void);
/* Port sinks 0xE9 (Xen) and 0x12 (QEMU) with these masks (0: no sink):
 * only once Xen is known present. */
xen_status xen_log_ports(uint32_t xen_mask, uint32_t qemu_mask);
/* DbgPrint capture (XEN:DBG_PRINT): install or remove the callback. Install
 * also silences the DbgPrint sink, whose output it would capture again. */
NTSTATUS xen_log_capture_start(void);
void xen_log_capture_stop(void);

/* Bug check callback that reports a crash to Xen (xen_bugcheck.c). */
NTSTATUS xen_bugcheck_register(void);
void xen_bugcheck_deregister(void);

/* Unplug requests (xen_unplug.c): decided once at start from the service
 * key's Unplug and ForceUnplug values (no port I/O yet), then carried out by
 * the UnplugDevices export. PASSIVE. */
void xen_unplug_start(HANDLE service_key);
void xen_unplug_stop(void);

/* Registry helpers (xen_registry.c). PASSIVE_LEVEL. Values of the wrong
 * type or size give STATUS_OBJECT_TYPE_MISMATCH. */
/* Open `path` (relative to parent if not NULL); create opens or creates it
 * with full access, otherwise read access. Close with xen_reg_close. */
NTSTATUS xen_reg_open(HANDLE parent, PCWSTR path, bool create, HANDLE *key);
NTSTATUS xen_reg_open_path(HANDLE parent, PUNICODE_STRING path, bool create, HANDLE *key);
void xen_reg_close(HANDLE key);
NTSTATUS xen_reg_read_dword(HANDLE key, PCWSTR value, uint32_t *out);
NTSTATUS xen_reg_write_dword(HANDLE key, PCWSTR value, uint32_t v);
NTSTATUS xen_reg_delete_value(HANDLE key, PCWSTR value);
/* A REG_SZ as ASCII (other characters become '?'), not terminated; at most
 * size bytes, *len set. */
NTSTATUS xen_reg_read_sz(HANDLE key, PCWSTR value, char *out, size_t size, size_t *len);
/* A REG_MULTI_SZ the same way, its NULs kept. */
NTSTATUS xen_reg_read_multi_sz(HANDLE key, PCWSTR value, char *out, size_t size, size_t *len);
/* The names of key's subkeys as a multi-sz (ASCII, each NUL-terminated, an
 * empty string last); *len counts every byte written. */
NTSTATUS xen_reg_subkey_names(HANDLE key, char *out, size_t size, size_t *len);

/* Read HKLM\SYSTEM\CurrentControlSet\Control\SystemStartOptions and parse
 * it; defaults when the value is absent or malformed (xen_options.c). */
void xen_options_read(struct options *out);

#endif /* XB_XEN_DRIVER_H */
