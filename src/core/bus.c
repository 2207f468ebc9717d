#include "bus.h"
#include "compiler.h"
#include "text.h"

/* ---- interface table (interfaces.md section 1) ---- */

#define GUID(d1, d2, d3, b0, b1, b2, b3, b4, b5, b6, b7) \
	{ d1, d2, d3, { b0, b1, b2, b3, b4, b5, b6, b7 } }

static const struct bus_interface_desc bus_interfaces[BUS_ITF_COUNT] = {
	[BUS_ITF_SUSPEND] = { "SUSPEND",
		GUID(0x0554F2AF, 0xB510, 0x4C71, 0xAC, 0x03, 0x1C, 0x50, 0x3E, 0x39, 0x42, 0x38),
		1, 1, true, { [1] = 6 } },
	[BUS_ITF_SHARED_INFO] = { "SHARED_INFO",
		GUID(0x7E73C34F, 0x1640, 0x4649, 0xA8, 0xF3, 0x26, 0x3B, 0xC9, 0x30, 0xA0, 0x04),
		2, 4, true, { [2] = 8, [3] = 8, [4] = 9 } },
	[BUS_ITF_EVTCHN] = { "EVTCHN",
		GUID(0xBE2440AC, 0x1098, 0x4150, 0xAF, 0x4D, 0x45, 0x2F, 0xAD, 0xCE, 0xF9, 0x23),
		5, 9, true, { [5] = 10, [6] = 10, [7] = 11, [8] = 11, [9] = 11 } },
	[BUS_ITF_DEBUG] = { "DEBUG",
		GUID(0x0DF600AE, 0x6B20, 0x4227, 0xBF, 0x94, 0x03, 0xDA, 0x9A, 0x26, 0xA1, 0x14),
		1, 1, true, { [1] = 6 } },
	[BUS_ITF_STORE] = { "STORE",
		GUID(0x86824C3B, 0xD34E, 0x4753, 0xB2, 0x81, 0x2F, 0x1E, 0x3A, 0xD2, 0x14, 0xD7),
		2, 2, true, { [2] = 13 } },
	[BUS_ITF_RANGE_SET] = { "RANGE_SET",
		GUID(0xEE7E78A2, 0x6847, 0x48C5, 0xB1, 0x23, 0xBB, 0x01, 0x2F, 0x0E, 0xAB, 0xF4),
		1, 1, true, { [1] = 7 } },
	[BUS_ITF_CACHE] = { "CACHE",
		GUID(0xA98DFD78, 0x416A, 0x4949, 0x92, 0xA5, 0xE0, 0x84, 0xF2, 0xF4, 0xB4, 0x4E),
		1, 2, true, { [1] = 6, [2] = 6 } },
	[BUS_ITF_GNTTAB] = { "GNTTAB",
		GUID(0x763679C5, 0xE5C2, 0x4A6D, 0x8B, 0x88, 0x6B, 0xB0, 0x2E, 0xC4, 0x2D, 0x8E),
		2, 4, true, { [2] = 9, [3] = 10, [4] = 10 } },
	[BUS_ITF_UNPLUG] = { "UNPLUG",
		GUID(0x73DB6517, 0x3D06, 0x4937, 0x98, 0x9F, 0x19, 0x9B, 0x75, 0x01, 0xE2, 0x29),
		1, 3, true, { [1] = 3, [2] = 4, [3] = 6 } },
	[BUS_ITF_CONSOLE] = { "CONSOLE",
		GUID(0x04C4F738, 0x034A, 0x4268, 0xBD, 0x20, 0xA9, 0x2A, 0xC9, 0x0D, 0x4F, 0x82),
		1, 1, true, { [1] = 8 } },
	/* Answered by xenfilt; the PDO forwards the query down its stack. */
	[BUS_ITF_EMULATED] = { "EMULATED",
		GUID(0x959027A1, 0xFCCE, 0x4E78, 0xBC, 0xF4, 0x63, 0x73, 0x84, 0xF4, 0x99, 0xC5),
		1, 3, false, { [1] = 4, [2] = 4, [3] = 4 } },
	/* Used inside the FDO only. */
	[BUS_ITF_BALLOON] = { "BALLOON",
		GUID(0xD92AA810, 0xBECB, 0x4BD5, 0xA3, 0xDA, 0xBD, 0x03, 0xC1, 0x35, 0xA2, 0x97),
		1, 1, false, { [1] = 4 } },
};

const struct bus_interface_desc *bus_interface_desc(enum bus_interface itf)
{
	if ((unsigned)itf >= BUS_ITF_COUNT)
		return NULL;
	return &bus_interfaces[itf];
}

enum bus_interface bus_interface_from_guid(const struct bus_guid *guid)
{
	unsigned i;

	if (!guid)
		return BUS_ITF_COUNT;
	for (i = 0; i < BUS_ITF_COUNT; i++) {
		const struct bus_guid *g = &bus_interfaces[i].guid;

		if (g->data1 == guid->data1 && g->data2 == guid->data2 &&
		    g->data3 == guid->data3 &&
		    __builtin_memcmp(g->data4, guid->data4, sizeof(g->data4)) == 0)
			return (enum bus_interface)i;
	}
	return BUS_ITF_COUNT;
}

size_t bus_interface_size(enum bus_interface itf, unsigned version, unsigned ptr_size)
{
	const struct bus_interface_desc *d = bus_interface_desc(itf);

	if (!d || (ptr_size != 4 && ptr_size != 8))
		return 0;
	if (version < d->min || version > d->max)
		return 0;
	/* Size, Version (+pad), Context, Reference, Dereference: 4 slots. */
	return (size_t)(4 + d->methods[version]) * ptr_size;
}

xen_status bus_interface_negotiate(enum bus_interface itf, unsigned version,
				   size_t buffer_size, unsigned ptr_size, size_t *size)
{
	size_t need;

	if (ptr_size != 4 && ptr_size != 8)
		return -XEN_EINVAL;
	need = bus_interface_size(itf, version, ptr_size);
	if (need == 0)
		return -XEN_EOPNOTSUPP;
	if (buffer_size < need)
		return -XEN_ENOBUFS;
	if (size)
		*size = need;
	return XEN_OK;
}

/* ---- revision table (include/revision.h, interfaces.md 2.1) ---- */

static const struct bus_revision bus_revision_table[] = {
	/* SUSP SHINF EVTCH DEBUG STORE RSET CACHE GNTT UNPL CONS EMUL */
	{ 0x09000008, { 1, 3, 9, 1, 2, 1, 2, 4, 1, 1, 2 } },
	{ 0x09000009, { 1, 4, 9, 1, 2, 1, 2, 4, 1, 1, 2 } },
	{ 0x0900000A, { 1, 4, 9, 1, 2, 1, 2, 4, 2, 1, 2 } },
	{ 0x0900000B, { 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 2 } },
	{ 0x0900000C, { 1, 4, 9, 1, 2, 1, 2, 4, 3, 1, 3 } },
};

const struct bus_revision *bus_revisions(size_t *count)
{
	if (count)
		*count = ARRAY_SIZE(bus_revision_table);
	return bus_revision_table;
}

/* ---- string building ---- */

/* Appends into a bounded buffer; keeps counting past the end so the caller
 * learns the size it needs. */
struct bus_sb {
	char *buf;
	size_t size;
	size_t len;
};

static void sb_putc(struct bus_sb *sb, char c)
{
	if (sb->len < sb->size)
		sb->buf[sb->len] = c;
	sb->len++;
}

static void sb_puts(struct bus_sb *sb, const char *s)
{
	while (*s)
		sb_putc(sb, *s++);
}

static void sb_hex(struct bus_sb *sb, uint32_t v, unsigned digits)
{
	static const char hex[] = "0123456789ABCDEF";

	while (digits-- > 0)
		sb_putc(sb, hex[(v >> (4 * digits)) & 0xf]);
}

static xen_status sb_finish(struct bus_sb *sb, size_t *needed)
{
	if (needed)
		*needed = sb->len;
	return sb->len <= sb->size ? XEN_OK : -XEN_ENOBUFS;
}

static bool bus_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Length of a well-formed name of at most `max` bytes, 0 if malformed.
 * Reads at most max + 1 bytes of s. */
static size_t bus_name_len(const char *s, size_t max)
{
	size_t n;

	if (!s)
		return 0;
	for (n = 0; n <= max && s[n]; n++)
		if (!bus_name_char(s[n]))
			return 0;
	return n <= max ? n : 0;
}

static bool bus_names_ok(const char *a, const char *b)
{
	return bus_name_len(a, BUS_NAME_MAX) && (!b || bus_name_len(b, BUS_NAME_MAX));
}

static bool bus_out_ok(const char *buf, size_t size)
{
	return buf || size == 0;
}

/* ---- identity strings ---- */

/* "XENBUS\\VEN_<vendor>&DEV_<name>": the device ID and the stem of every
 * hardware ID. */
static void sb_device_id(struct bus_sb *sb, const char *vendor, const char *name)
{
	sb_puts(sb, "XENBUS\\VEN_");
	sb_puts(sb, vendor);
	sb_puts(sb, "&DEV_");
	sb_puts(sb, name);
}

xen_status bus_vendor_name(const char *prefix, uint16_t pci_device_id,
			   char *buf, size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };

	if (!bus_names_ok(prefix, NULL) || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	sb_puts(&sb, prefix);
	sb_hex(&sb, pci_device_id, 4);
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

xen_status bus_fdo_name(const char *vendor_name, char *buf, size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };

	if (!bus_names_ok(vendor_name, NULL) || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	sb_puts(&sb, vendor_name);
	sb_puts(&sb, " XENBUS");
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

xen_status bus_device_id(const char *prefix, const char *name, char *buf,
			 size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };

	if (!bus_names_ok(prefix, name) || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	sb_device_id(&sb, prefix, name);
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

xen_status bus_hardware_ids(const char *vendor_name, const char *name, char *buf,
			    size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };
	size_t i = ARRAY_SIZE(bus_revision_table);

	if (!bus_names_ok(vendor_name, name) || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	/* Newest first: a child INF matching any one revision binds. */
	while (i-- > 0) {
		sb_device_id(&sb, vendor_name, name);
		sb_puts(&sb, "&REV_");
		sb_hex(&sb, bus_revision_table[i].number, 8);
		sb_putc(&sb, '\0');
	}
	sb_puts(&sb, "XENCLASS");
	sb_putc(&sb, '\0');
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

xen_status bus_device_text(const char *vendor_name, const char *name, char *buf,
			   size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };

	if (!bus_names_ok(vendor_name, name) || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	sb_puts(&sb, vendor_name);
	sb_puts(&sb, " XENBUS ");
	sb_puts(&sb, name);
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

/* ---- enumeration ---- */

/* Iterates a length-bounded multi-sz. */
struct bus_list_iter {
	const char *p;
	const char *end;
};

/* Next entry and its length (up to the NUL or the end of the list); false at
 * the end or at an empty entry (the registry terminator). */
static bool bus_list_next(struct bus_list_iter *it, const char **entry, size_t *len)
{
	size_t n = 0;

	if (!it->p || it->p >= it->end)
		return false;
	while (it->p + n < it->end && it->p[n])
		n++;
	if (n == 0)
		return false;
	*entry = it->p;
	*len = n;
	it->p += n + (it->p + n < it->end);
	return true;
}

/* Upper-cased copy of a well-formed name into out[BUS_NAME_MAX + 1]; false
 * if malformed. */
static bool bus_normalise(const char *s, size_t len, char *out)
{
	size_t i;

	if (len == 0 || len > BUS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (!bus_name_char(s[i]))
			return false;
		out[i] = text_upper(s[i]);
	}
	out[len] = '\0';
	return true;
}

/* Supported classes considered; more are ignored (the INF sets five). */
#define BUS_MAX_SUPPORTED 64

/* Is `name` among the first `limit` entries of a multi-sz? *index (optional)
 * gets its position. Exact, case-sensitive: upstream compares only
 * strlen(name) bytes, which lets a truncated class such as "VI" match "VIF";
 * a full compare keeps such names out. */
static bool bus_list_find(const char *list, size_t len, const char *name, size_t limit,
			  size_t *index)
{
	struct bus_list_iter it = { list, list ? list + len : NULL };
	const char *e;
	size_t n, nlen = __builtin_strlen(name), i;

	for (i = 0; i < limit && bus_list_next(&it, &e, &n); i++) {
		if (n == nlen && __builtin_memcmp(e, name, n) == 0) {
			if (index)
				*index = i;
			return true;
		}
	}
	return false;
}

static void bus_enum_list(const char *list, size_t len, const char *supported,
			  size_t supported_len, bool emitted[BUS_MAX_SUPPORTED],
			  struct bus_sb *sb, unsigned *rejected)
{
	struct bus_list_iter it = { list, list ? list + len : NULL };
	char name[BUS_NAME_MAX + 1];
	const char *e;
	size_t n, idx;

	while (bus_list_next(&it, &e, &n)) {
		if (!bus_normalise(e, n, name)) {
			(*rejected)++;
			continue;
		}
		if (!bus_list_find(supported, supported_len, name, BUS_MAX_SUPPORTED, &idx) ||
		    emitted[idx])
			continue;
		emitted[idx] = true;
		sb_puts(sb, name);
		sb_putc(sb, '\0');
	}
}

xen_status bus_enumerate(const char *device_dir, size_t dir_len,
			 const char *supported, size_t supported_len,
			 const char *synthetic, size_t synthetic_len,
			 char *out, size_t out_size, size_t *needed,
			 unsigned *rejected)
{
	bool emitted[BUS_MAX_SUPPORTED] = { false };
	struct bus_sb sb = { out, out_size, 0 };
	unsigned bad = 0;
	xen_status st;

	if ((!device_dir && dir_len) || (!supported && supported_len) ||
	    (!synthetic && synthetic_len) || !bus_out_ok(out, out_size))
		return -XEN_EINVAL;
	bus_enum_list(device_dir, dir_len, supported, supported_len, emitted, &sb, &bad);
	bus_enum_list(synthetic, synthetic_len, supported, supported_len, emitted, &sb, &bad);
	sb_putc(&sb, '\0');
	st = sb_finish(&sb, needed);
	if (rejected)
		*rejected = bad;
	return st;
}

bool bus_list_contains(const char *list, size_t len, const char *name)
{
	return name && bus_list_find(list, len, name, SIZE_MAX, NULL);
}

/* ---- drivers/<N> ---- */

#define BUS_VENDOR_MAX 64

static bool bus_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static void sb_dec(struct bus_sb *sb, unsigned v)
{
	char digits[10];
	unsigned n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n-- > 0)
		sb_putc(sb, digits[n]);
}

/* Sanitised vendor length, 0 if empty or too long. */
static size_t bus_vendor_len(const char *vendor)
{
	size_t n = 0;

	if (!vendor)
		return 0;
	while (n <= BUS_VENDOR_MAX && vendor[n])
		n++;
	return n <= BUS_VENDOR_MAX ? n : 0;
}

xen_status bus_driver_entry(const char *vendor, const uint16_t version[4], bool checked,
			    char *buf, size_t size, size_t *needed)
{
	struct bus_sb sb = { buf, size, 0 };
	size_t i, n = bus_vendor_len(vendor);

	if (n == 0 || !version || !bus_out_ok(buf, size))
		return -XEN_EINVAL;
	for (i = 0; i < n; i++)
		sb_putc(&sb, bus_alnum(vendor[i]) ? vendor[i] : '_');
	sb_puts(&sb, " XENBUS ");
	for (i = 0; i < 4; i++) {
		if (i)
			sb_putc(&sb, '.');
		sb_dec(&sb, version[i]);
	}
	sb_putc(&sb, ' ');
	if (checked)
		sb_puts(&sb, "(DEBUG)");
	sb_putc(&sb, '\0');
	return sb_finish(&sb, needed);
}

/* Next space-separated word of s[*pos..len); false if none. */
static bool bus_word(const char *s, size_t len, size_t *pos, const char **w, size_t *wlen)
{
	size_t i = *pos, start;

	while (i < len && s[i] == ' ')
		i++;
	start = i;
	while (i < len && s[i] != ' ' && s[i] != '\0')
		i++;
	*pos = i;
	*w = s + start;
	*wlen = i - start;
	return *wlen > 0;
}

bool bus_driver_entry_is_ours(const char *value, size_t len, const char *vendor)
{
	size_t pos = 0, wlen, i, n = bus_vendor_len(vendor);
	const char *w;

	if (!value || n == 0 || !bus_word(value, len, &pos, &w, &wlen) || wlen != n)
		return false;
	for (i = 0; i < n; i++)
		if (text_upper(w[i]) != text_upper(bus_alnum(vendor[i]) ? vendor[i] : '_'))
			return false;
	if (!bus_word(value, len, &pos, &w, &wlen) || wlen != 6)
		return false;
	for (i = 0; i < 6; i++)
		if (text_upper(w[i]) != "XENBUS"[i])
			return false;
	return true;
}

/* A canonical decimal name below BUS_DRIVER_SLOTS, or -1. */
static int bus_slot_name(const char *e, size_t n)
{
	unsigned v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && e[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (e[i] < '0' || e[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(e[i] - '0');
	}
	return v < BUS_DRIVER_SLOTS ? (int)v : -1;
}

xen_status bus_driver_slot(const char *listing, size_t len, unsigned *slot)
{
	struct bus_list_iter it = { listing, listing ? listing + len : NULL };
	bool used[BUS_DRIVER_SLOTS] = { false };
	const char *e;
	size_t n;
	unsigned i;
	int v;

	if (!slot || (!listing && len))
		return -XEN_EINVAL;
	while (bus_list_next(&it, &e, &n)) {
		v = bus_slot_name(e, n);
		if (v >= 0)
			used[v] = true;
	}
	for (i = 0; i < BUS_DRIVER_SLOTS; i++) {
		if (!used[i]) {
			*slot = i;
			return XEN_OK;
		}
	}
	return -XEN_ENOSPC;
}
