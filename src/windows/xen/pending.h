/* TEMPORARY: declarations of core modules not yet merged into main
 * (detect.h, options.h, log.h). Replaced by the real headers at merge. */
#ifndef XB_PENDING_H
#define XB_PENDING_H
#include <stdarg.h>
#include "status.h"
struct detect_info { uint32_t base; uint32_t max_leaf; uint16_t major, minor; uint32_t hypercall_msr;
	uint32_t hypercall_pages; uint32_t hvm_features; };
xen_status detect_xen(struct detect_info *info);
struct options { bool dbg_print; bool boot_emulated; bool balloon; uint32_t watchdog_s; };
void options_parse(const char *cmdline, size_t len, struct options *out);
#define LOG_ERROR 0x1u
#define LOG_WARNING 0x2u
#define LOG_TRACE 0x4u
#define LOG_INFO 0x8u
#define LOG_CRITICAL 0x80000000u
void log_init(void);
void log_printf(uint32_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
xen_status log_add_port_sink(uint16_t port, uint32_t mask, int *handle);
xen_status log_add_sink(void (*write)(void *ctx, const char *buf, size_t len), void *ctx, uint32_t mask, int *handle);
size_t log_format(char *buf, size_t size, const char *fmt, va_list ap);
#endif
