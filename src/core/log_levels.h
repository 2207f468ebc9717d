/*
 * Log level masks from their names, as the XenLogLevel / QemuLogLevel
 * registry values spell them (REG_MULTI_SZ: "ERROR", "WARNING", "TRACE",
 * "INFO", "CRITICAL", upper case, one per string). Outside input.
 */
#ifndef XB_LOG_LEVELS_H
#define XB_LOG_LEVELS_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Mask for a multi-string (NUL-separated names, bounded by len, an empty
 * string or len ends it). Unknown names are skipped and counted in
 * *unknown (may be NULL). Any context, no allocation. */
uint32_t log_levels_parse(const char *names, size_t len, unsigned *unknown);

#endif /* XB_LOG_LEVELS_H */
