/*
 * Bus logic as pure functions: which child devices (PDOs) exist, their PnP
 * identity strings and PDO revision lists, and interface version
 * negotiation (interfaces.md sections 0.5, 1 and 2). Nothing here touches
 * Xen or the OS; the Windows layer reads the registry and xenstore and
 * hands the values in. Every function is callable in any context.
 *
 * Lists ("multi-sz") are NUL-separated strings with an explicit byte length;
 * an empty entry ends a list early (registry style), a missing final NUL is
 * tolerated (xenstore style). Output lists are NUL-separated and end with an
 * extra NUL (REG_MULTI_SZ shape).
 */
#ifndef XB_BUS_H
#define XB_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* Interfaces the bus serves. The first BUS_REVISION_COLUMNS are the
 * columns of the PDO revision table, in its order. */
enum bus_interface {
	BUS_ITF_SUSPEND,
	BUS_ITF_SHARED_INFO,
	BUS_ITF_EVTCHN,
	BUS_ITF_DEBUG,
	BUS_ITF_STORE,
	BUS_ITF_RANGE_SET,
	BUS_ITF_CACHE,
	BUS_ITF_GNTTAB,
	BUS_ITF_UNPLUG,
	BUS_ITF_CONSOLE,
	BUS_ITF_EMULATED,
	BUS_ITF_BALLOON,
	BUS_ITF_COUNT
};
#define BUS_REVISION_COLUMNS (BUS_ITF_EMULATED + 1)

/* A Windows GUID in its DEFINE_GUID shape. */
struct bus_guid {
	uint32_t data1;
	uint16_t data2;
	uint16_t data3;
	uint8_t data4[8];
};

#define BUS_MAX_VERSION 9

struct bus_interface_desc {
	const char *name;	/* "EVTCHN" */
	struct bus_guid guid;
	uint8_t min;		/* versions min..max are all served */
	uint8_t max;
	bool on_pdo;		/* answered by a child PDO's QUERY_INTERFACE */
	uint8_t methods[BUS_MAX_VERSION + 1]; /* method count per version */
};

/* Descriptor of `itf`, NULL if out of range. */
const struct bus_interface_desc *bus_interface_desc(enum bus_interface itf);
/* Interface whose GUID equals *guid, or BUS_ITF_COUNT if none. */
enum bus_interface bus_interface_from_guid(const struct bus_guid *guid);

/* sizeof the interface struct for `version` when pointers are ptr_size
 * bytes (8: x64, 4: x86): the INTERFACE header is 4 pointer slots, then one
 * slot per method. 0 if the version is not served or ptr_size is not 4/8. */
size_t bus_interface_size(enum bus_interface itf, unsigned version, unsigned ptr_size);

/* Version negotiation (section 0.5): XEN_OK and *size = the struct size when
 * `version` is served and buffer_size is large enough; -XEN_EOPNOTSUPP
 * (NTSTATUS NOT_SUPPORTED) when it is not served; -XEN_ENOBUFS (BUFFER_OVERFLOW)
 * when buffer_size is too small. The caller fills nothing on failure. The
 * PDO revision is deliberately not consulted (upstream behaviour). */
xen_status bus_interface_negotiate(enum bus_interface itf, unsigned version,
				   size_t buffer_size, unsigned ptr_size, size_t *size);

/* ---- PDO revisions ---- */

struct bus_revision {
	uint32_t number;			/* 0x0900000C */
	uint8_t version[BUS_REVISION_COLUMNS];	/* per bus_interface column */
};

/* The revision table, oldest first; *count receives its length. */
const struct bus_revision *bus_revisions(size_t *count);

/* ---- child classes ---- */

/* Longest PDO (class) name accepted from xenstore or the registry. */
#define BUS_NAME_MAX 31

/* Build the list of child classes: the entries of `device_dir` (the xenstore
 * directory of `device`, untrusted) followed by those of `synthetic`, each
 * upper-cased, kept only when it is a well-formed name (1..BUS_NAME_MAX of
 * [A-Za-z0-9_-]) equal to an entry of `supported`, and listed once.
 * Writes a multi-sz into out. *needed receives the bytes the full list takes.
 * -XEN_ENOBUFS if out_size is too small (out is then unspecified),
 * -XEN_EINVAL on NULL pointers. *rejected (optional) counts malformed names. */
xen_status bus_enumerate(const char *device_dir, size_t dir_len,
			 const char *supported, size_t supported_len,
			 const char *synthetic, size_t synthetic_len,
			 char *out, size_t out_size, size_t *needed,
			 unsigned *rejected);

/* True if the multi-sz `list` holds `name` exactly (case-sensitive). */
bool bus_list_contains(const char *list, size_t len, const char *name);

/* ---- identity strings ----
 * Each writes a NUL-terminated string (or a multi-sz for hardware IDs) into
 * buf and *needed (optional) receives the bytes required including the
 * terminator(s). -XEN_ENOBUFS when buf is too small, -XEN_EINVAL when an
 * input string is malformed (empty, too long, characters outside
 * [A-Za-z0-9_-]). */

/* "<prefix><PCI device id as 4 upper-case hex>", e.g. "XP0001". */
xen_status bus_vendor_name(const char *prefix, uint16_t pci_device_id,
			   char *buf, size_t size, size_t *needed);
/* "<vendor name> XENBUS" */
xen_status bus_fdo_name(const char *vendor_name, char *buf, size_t size, size_t *needed);
/* "XENBUS\VEN_<prefix>&DEV_<name>" (prefix only, as upstream). */
xen_status bus_device_id(const char *prefix, const char *name, char *buf,
			 size_t size, size_t *needed);
/* Multi-sz: "XENBUS\VEN_<vendor name>&DEV_<name>&REV_<8 hex>" per revision,
 * newest first, then "XENCLASS", then the final empty string. The
 * compatible IDs are the same list. */
xen_status bus_hardware_ids(const char *vendor_name, const char *name, char *buf,
			    size_t size, size_t *needed);
/* "<vendor name> XENBUS <name>" (DeviceTextDescription). */
xen_status bus_device_text(const char *vendor_name, const char *name, char *buf,
			   size_t size, size_t *needed);

/* ---- drivers/<N> (interfaces.md 6.1) ---- */

#define BUS_DRIVER_SLOTS 256

/* The value the active FDO writes to drivers/<N>:
 * "<vendor> XENBUS <major>.<minor>.<micro>.<build> <attr>", vendor with every
 * non-alphanumeric character replaced by '_', attr "(DEBUG)" for checked
 * builds and empty otherwise (the space before it stays). -XEN_EINVAL for
 * an empty or over-long (> 64) vendor, -XEN_ENOBUFS as above. */
xen_status bus_driver_entry(const char *vendor, const uint16_t version[4], bool checked,
			    char *buf, size_t size, size_t *needed);
/* Whether an existing drivers/<N> value (untrusted, len bytes) is one of
 * ours to remove at D0 exit: first word = the sanitised vendor, second word
 * "XENBUS", both compared case-insensitively. */
bool bus_driver_entry_is_ours(const char *value, size_t len, const char *vendor);
/* First N in 0..BUS_DRIVER_SLOTS-1 not named in the drivers/ directory
 * listing (untrusted multi-sz of decimal names; others are ignored).
 * -XEN_ENOSPC when all are taken. */
xen_status bus_driver_slot(const char *listing, size_t len, unsigned *slot);

/* Every PDO's instance ID. */
#define BUS_INSTANCE_ID "_"

#endif /* XB_BUS_H */
