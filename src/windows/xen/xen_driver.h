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

/* Read HKLM\SYSTEM\CurrentControlSet\Control\SystemStartOptions and parse
 * it; defaults when the value is absent or malformed (xen_options.c). */
void xen_options_read(struct options *out);

#endif /* XB_XEN_DRIVER_H */
