/*
 * Model of the xen_version hypercall: XENVER_version, XENVER_extraversion and
 * XENVER_get_features, with knobs for tests to make the answers odd.
 */
#ifndef XB_SIM_VERSION_H
#define XB_SIM_VERSION_H

#include "sim.h"

struct sim_version {
	uint16_t major, minor;	/* XENVER_version; default: sim_config() */
	/* XENVER_extraversion copies these 16 bytes as they are (tests can leave
	 * them unterminated). Default ".0". */
	char extra[XEN_EXTRAVERSION_LEN];
	uint32_t features[XENFEAT_NR_SUBMAPS];	/* XENVER_get_features */
	/* When set, XENVER_version returns raw_version instead (tests of
	 * out-of-range results). */
	bool use_raw_version;
	long raw_version;
};

/* Register the handlers with the hub (call after every sim_init). */
void sim_version_init(void);
/* The live answers; tests change them after sim_version_init. */
struct sim_version *sim_version(void);

#endif /* XB_SIM_VERSION_H */
