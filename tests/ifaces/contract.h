/*
 * The struct-size table of /work/shared/spec/interfaces.md section 1, typed
 * in once from the contract (not from include/ or src/core/bus.c) so both
 * can be checked against it. Plain C, no Windows types: included by the
 * mingw layout check and by the host check against bus.c.
 *
 * X(TAG, ITF, VERSION, METHODS, SIZE_X64, SIZE_X86)
 *   TAG: <ITF>_V<VERSION>, names the struct's check in diagnostics;
 *   ITF: the interface's name as in bus.c ("EVTCHN").
 */
#ifndef IFACES_CONTRACT_H
#define IFACES_CONTRACT_H

#define CONTRACT_VERSIONS(X)                            \
	X(SUSPEND_V1,      SUSPEND,     1,  6,  80, 40) \
	X(SHARED_INFO_V2,  SHARED_INFO, 2,  8,  96, 48) \
	X(SHARED_INFO_V3,  SHARED_INFO, 3,  8,  96, 48) \
	X(SHARED_INFO_V4,  SHARED_INFO, 4,  9, 104, 52) \
	X(EVTCHN_V5,       EVTCHN,      5, 10, 112, 56) \
	X(EVTCHN_V6,       EVTCHN,      6, 10, 112, 56) \
	X(EVTCHN_V7,       EVTCHN,      7, 11, 120, 60) \
	X(EVTCHN_V8,       EVTCHN,      8, 11, 120, 60) \
	X(EVTCHN_V9,       EVTCHN,      9, 11, 120, 60) \
	X(DEBUG_V1,        DEBUG,       1,  6,  80, 40) \
	X(STORE_V2,        STORE,       2, 13, 136, 68) \
	X(RANGE_SET_V1,    RANGE_SET,   1,  7,  88, 44) \
	X(CACHE_V1,        CACHE,       1,  6,  80, 40) \
	X(CACHE_V2,        CACHE,       2,  6,  80, 40) \
	X(GNTTAB_V2,       GNTTAB,      2,  9, 104, 52) \
	X(GNTTAB_V3,       GNTTAB,      3, 10, 112, 56) \
	X(GNTTAB_V4,       GNTTAB,      4, 10, 112, 56) \
	X(UNPLUG_V1,       UNPLUG,      1,  3,  56, 28) \
	X(UNPLUG_V2,       UNPLUG,      2,  4,  64, 32) \
	X(UNPLUG_V3,       UNPLUG,      3,  6,  80, 40) \
	X(CONSOLE_V1,      CONSOLE,     1,  8,  96, 48) \
	X(BALLOON_V1,      BALLOON,     1,  4,  64, 32) \
	X(EMULATED_V1,     EMULATED,    1,  4,  64, 32) \
	X(EMULATED_V2,     EMULATED,    2,  4,  64, 32) \
	X(EMULATED_V3,     EMULATED,    3,  4,  64, 32)

/* Section 2.1, oldest first. Columns: SUSPEND SHARED_INFO EVTCHN DEBUG
 * STORE RANGE_SET CACHE GNTTAB UNPLUG CONSOLE EMULATED.
 * R(NUMBER, v...) */
#define CONTRACT_REVISIONS(R)                                   \
	R(0x09000008, 1, 3, 9, 1, 2, 1, 2, 4, 1, 1, 2)          \
	R(0x09000009, 1, 4, 9, 1, 2, 1, 2, 4, 1, 1, 2)          \
	R(0x0900000A, 1, 4, 9, 1, 2, 1, 2, 4, 2, 1, 2)          \
	R(0x0900000B, 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 2)          \
	R(0x0900000C, 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 3)

#endif /* IFACES_CONTRACT_H */
