/*
 * Logging: levels, up to LOG_MAX_SINKS sinks with level masks, and an
 * in-house printf (no libc) that formats each message into a LOG_SLOT_SIZE
 * byte slot. Sinks are I/O ports written with rep outsb (0xE9: Xen debug
 * console, 0x12: QEMU xen-platform log port) or functions (the PV console).
 * Level bit values match the upstream xen.sys logger (interfaces.md 7.1).
 */
#ifndef XB_LOG_H
#define XB_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

#define LOG_NONE 0x0u
#define LOG_ERROR 0x1u
#define LOG_WARNING 0x2u
#define LOG_TRACE 0x4u
#define LOG_INFO 0x8u
#define LOG_CRITICAL 0x80000000u

/* Default masks of the two port sinks (upstream: XenLogLevel, QemuLogLevel). */
#define LOG_XEN_PORT 0xe9
#define LOG_QEMU_PORT 0x12
#define LOG_XEN_DEFAULT_MASK LOG_CRITICAL
#define LOG_QEMU_DEFAULT_MASK (LOG_INFO | LOG_WARNING | LOG_ERROR | LOG_CRITICAL)

#define LOG_MAX_SINKS 8
/* One message, including its terminating NUL; longer ones are truncated. */
#define LOG_SLOT_SIZE 256

/* Forget every sink and reset the counters. Thread context, before any other
 * log call runs concurrently (driver load, test set-up). */
void log_init(void);

/* Format a message and write it to every sink whose mask shares a bit with
 * `level`. Any context; sinks run under the log spin lock, in the caller.
 * A message logged on the CPU that holds the log lock (from inside a sink, or
 * from an interrupt that came in while the lock was held) is dropped and
 * counted by log_dropped instead of deadlocking. (On the host, where threads
 * may share a CPU number, such a message can be dropped too.) */
void log_printf(uint32_t level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vprintf(uint32_t level, const char *fmt, va_list ap);

/* Add a sink writing to I/O port `port` with rep outsb. mask 0 is refused
 * (-XEN_EINVAL); -XEN_ENOSPC when LOG_MAX_SINKS exist. On success *handle
 * (may be NULL) receives a handle for log_remove_sink. Any context. */
xen_status log_add_port_sink(uint16_t port, uint32_t mask, int *handle);
/* Same for a function sink: write(ctx, buf, len) gets each message (not NUL
 * terminated, len <= LOG_SLOT_SIZE - 1) under the log spin lock: it must not
 * block, and must not add or remove sinks. */
xen_status log_add_sink(void (*write)(void *ctx, const char *buf, size_t len), void *ctx,
			uint32_t mask, int *handle);
/* Remove a sink. Once this returns the sink is never called again. Stale or
 * unknown handles are ignored. Any context, but not from inside a sink. */
void log_remove_sink(int handle);
/* Change the mask of a sink (0 silences it). -XEN_ENOENT for a stale handle. */
xen_status log_set_sink_mask(int handle, uint32_t mask);

/* Messages dropped because they were logged from inside a sink. */
unsigned long log_dropped(void);

/*
 * The formatter: %c %s %d %i %u %o %x %X %p %%, flags '-' and '0', a width
 * and a precision (digits or '*'), and the hh/h/l/ll/z/t/j length modifiers.
 * Writes at most size bytes including a terminating NUL (none when size is
 * 0) and returns the length the whole output would have had, as vsnprintf.
 * A NULL %s prints "(null)", a NULL %p "(nil)". An unknown conversion is
 * copied literally. Any context; no locks, no allocation.
 */
size_t log_format(char *buf, size_t size, const char *fmt, va_list ap);
size_t log_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* XB_LOG_H */
