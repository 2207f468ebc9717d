/*
 * Model of the Xen platform device's fixed I/O ports 0x10-0x13 as QEMU
 * (hw/i386/xen/xen_platform.c) implements them: the unplug magic, protocol
 * version and product/build handshake, the unplug flag writes, and the log
 * port (byte writes to 0x12, one line per '\n').
 */
#ifndef XB_SIM_PLATFORM_H
#define XB_SIM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

enum sim_platform_mode {
	SIM_PLATFORM_NORMAL,		/* magic 0x49D2 */
	SIM_PLATFORM_ABSENT,		/* no device: the ports read all-ones */
	SIM_PLATFORM_BLACKLISTED,	/* magic reads 0xD249 from the start */
	SIM_PLATFORM_BLACKLIST_ON_HANDSHAKE, /* 0xD249 once a product is written */
};

struct sim_platform_config {
	enum sim_platform_mode mode;
	uint8_t protocol;	/* answer of inb(0x12); QEMU says 1 */
};

/* Claim the ports (after sim_init). NULL: NORMAL, protocol 1. */
void sim_platform_init(const struct sim_platform_config *config);

/* Effective unplugged set, with QEMU's rule that the aux-IDE flag is
 * ignored when the IDE flag is in the same write. */
uint16_t sim_platform_unplugged(void);
/* The 16-bit words written to port 0x10, in order (at most max copied);
 * returns how many were written in total. */
unsigned sim_platform_writes(uint16_t *out, unsigned max);
/* Handshake values, and whether each was written. */
bool sim_platform_product(uint16_t *product);
bool sim_platform_build(uint32_t *build);
/* Access sequence as text, e.g. "inw10 inb12 outw12 outl10 inw10 outw10 ":
 * tests check the protocol order with it. */
const char *sim_platform_trace(void);
/* Completed log lines written byte-wise to port 0x12, each ending in '\n'. */
const char *sim_platform_log(void);

#endif /* XB_SIM_PLATFORM_H */
