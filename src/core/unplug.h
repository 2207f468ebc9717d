/*
 * Emulated-device unplug protocol of the Xen platform device (QEMU's
 * xen-platform I/O ports, Xen's docs/misc/hvm-emulated-unplug) and the
 * decision of what to unplug (interfaces.md 1.9 and 6.3).
 *
 * The decision functions are pure: the Windows layer reads the registry
 * (XEN\ForceUnplug, XEN\Unplug, the XENBUS enum subkeys) and the start
 * options, and hands the values in. Only unplug_devices touches hardware.
 */
#ifndef XB_UNPLUG_H
#define XB_UNPLUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Ports and values of the protocol. These are QEMU's, not in Xen's public
 * headers. */
#define UNPLUG_PORT_MAGIC 0x10		/* inw: magic; outw: unplug; outl: build */
#define UNPLUG_PORT_VERSION 0x12	/* inb: protocol version; outw: product */
#define UNPLUG_MAGIC 0x49D2
#define UNPLUG_MAGIC_BLACKLISTED 0xD249
#define UNPLUG_FLAG_IDE_DISKS 0x0001	/* IDE and SCSI disks */
#define UNPLUG_FLAG_NICS 0x0002
#define UNPLUG_FLAG_AUX_IDE_DISKS 0x0004	/* ignored with IDE_DISKS */
#define UNPLUG_FLAG_NVME_DISKS 0x0008
/* Product number for the handshake: upstream's placeholder. */
#define UNPLUG_PRODUCT_DEFAULT 0xFFFF

/* xen.sys numbering; disks are unplugged before NICs. */
enum unplug_type {
	UNPLUG_DISKS = 0,
	UNPLUG_NICS = 1,
	UNPLUG_TYPES
};

/* XENBUS_UNPLUG_DEVICE_TYPE (NICS = 1, DISKS = 2) to the above;
 * UNPLUG_TYPES for anything else. */
enum unplug_type unplug_type_from_interface(uint32_t type);

/* The registry values behind one type's decision, as read at xen.sys init. */
struct unplug_inputs {
	bool force_present;	/* XEN\ForceUnplug\<T> exists (as a DWORD) */
	uint32_t force;
	bool value_present;	/* XEN\Unplug\<T> exists (as a DWORD) */
	uint32_t value;
	bool device_known;	/* an Enum\XENBUS subkey names VBD (disks) / VIF (NICs) */
};

struct unplug_decision {
	bool request;		/* unplug this type at this boot (and on resume) */
	bool delete_value;	/* delete XEN\Unplug\<T> now (the counter scheme) */
};

/* The decision table of interfaces.md 6.3, one type at a time. */
struct unplug_decision unplug_decide(const struct unplug_inputs *in);

/* True if any entry of the multi-sz `names` (subkey names of Enum\XENBUS,
 * length-bounded) contains "VBD" (disks) or "VIF" (NICs). */
bool unplug_device_known(const char *names, size_t len, enum unplug_type type);

/* UNPLUG Request(Make): the new value of the XEN\Unplug\<T> counter.
 * present/value: the value as read. -XEN_ENOENT when decrementing a missing
 * value, -XEN_ERANGE when decrementing 0 or incrementing past UINT32_MAX;
 * the caller then leaves the registry as it is. */
xen_status unplug_counter_update(bool present, uint32_t value, bool make, uint32_t *out);

/* Flags written for one type: disks 0x0009 (IDE + NVMe), or 0x0004 (aux
 * IDE only) when XEN:BOOT_EMULATED=TRUE keeps the boot disk emulated;
 * NICs 0x0002. 0 for an invalid type. */
uint16_t unplug_flags(enum unplug_type type, bool boot_emulated);
/* Log name of a flags value written: "DISKS", "AUX DISKS", "NICS", "?". */
const char *unplug_flags_name(uint16_t flags);

struct unplug_report {
	uint16_t magic;		/* first inw(0x10) */
	uint8_t protocol;	/* inb(0x12); 0: no handshake */
	bool blacklisted;	/* QEMU answered 0xD249 */
	unsigned writes;	/* flag words written, in order */
	uint16_t written[UNPLUG_TYPES];
};

/* One-time initialisation (the lock that serialises port sequences). */
void unplug_init(void);

/* The preamble (magic, then product/build handshake when the protocol
 * version is non-zero), then one flags write per requested type, disks
 * first. `build` is (major << 16) | (minor << 8) | micro of the package.
 * Returns -XEN_ENODEV and writes nothing when port 0x10 answers neither
 * magic (no platform device: upstream free builds write anyway, we do not).
 * A blacklisted answer is reported but the writes still happen, as
 * upstream: the children's PV takeover was decided from the requests, and
 * leaving emulated devices next to PV ones would give two paths to one disk.
 * Serialised internally; any context (the resume path calls it with
 * interrupts off on CPU 0). rep may be NULL. */
xen_status unplug_devices(const bool request[UNPLUG_TYPES], bool boot_emulated,
			  uint16_t product, uint32_t build, struct unplug_report *rep);

#endif /* XB_UNPLUG_H */
