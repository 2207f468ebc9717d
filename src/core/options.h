/*
 * System start options: the loader command line (Windows SystemStartOptions,
 * e.g. " XEN:DBG_PRINT=OFF XEN:WATCHDOG=30 NOEXECUTE=OPTIN"). Upstream rules
 * (interfaces.md section 5): tokens are separated by spaces (tabs, CR and LF
 * count as spaces here too); a token is an option when it begins with the
 * key including '=' (case-sensitive); its value is the rest of the token,
 * compared case-sensitively. The first occurrence of a key wins.
 */
#ifndef XB_OPTIONS_H
#define XB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct options {
	bool dbg_print;		/* XEN:DBG_PRINT=ON|OFF, default ON */
	bool boot_emulated;	/* XEN:BOOT_EMULATED=TRUE|FALSE, default FALSE */
	bool balloon;		/* XEN:BALLOON=ON|OFF, default ON */
	uint32_t watchdog_s;	/* XEN:WATCHDOG=<seconds>, 0 off, else >= 10 */
};

/* Minimum non-zero watchdog period; smaller non-zero values are raised. */
#define OPTIONS_WATCHDOG_MIN 10
/* At most this many warnings are logged per parse (the input is untrusted
 * and may repeat a bad token a million times). */
#define OPTIONS_MAX_WARNINGS 16

/* Set *out from the first len bytes of cmdline (which need not be
 * NUL-terminated; a NUL ends it early; NULL means empty). Never fails:
 * a malformed, empty or overflowing value is reported with log_printf at
 * LOG_WARNING and the option keeps its default. Any context, no allocation. */
void options_parse(const char *cmdline, size_t len, struct options *out);

/* The defaults options_parse starts from. */
void options_defaults(struct options *out);

#endif /* XB_OPTIONS_H */
