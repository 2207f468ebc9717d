/* Bus logic: interface table and negotiation, revisions, PnP IDs, children. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bus.h"

/* GUID strings, method counts and sizes as interfaces.md section 1 lists them. */
static const struct {
	enum bus_interface itf;
	const char *guid;
	unsigned min, max;
} spec_itfs[] = {
	{ BUS_ITF_SUSPEND, "0554F2AF-B510-4C71-AC03-1C503E394238", 1, 1 },
	{ BUS_ITF_SHARED_INFO, "7E73C34F-1640-4649-A8F3-263BC930A004", 2, 4 },
	{ BUS_ITF_EVTCHN, "BE2440AC-1098-4150-AF4D-452FADCEF923", 5, 9 },
	{ BUS_ITF_DEBUG, "0DF600AE-6B20-4227-BF94-03DA9A26A114", 1, 1 },
	{ BUS_ITF_STORE, "86824C3B-D34E-4753-B281-2F1E3AD214D7", 2, 2 },
	{ BUS_ITF_RANGE_SET, "EE7E78A2-6847-48C5-B123-BB012F0EABF4", 1, 1 },
	{ BUS_ITF_CACHE, "A98DFD78-416A-4949-92A5-E084F2F4B44E", 1, 2 },
	{ BUS_ITF_GNTTAB, "763679C5-E5C2-4A6D-8B88-6BB02EC42D8E", 2, 4 },
	{ BUS_ITF_UNPLUG, "73DB6517-3D06-4937-989F-199B7501E229", 1, 3 },
	{ BUS_ITF_CONSOLE, "04C4F738-034A-4268-BD20-A92AC90D4F82", 1, 1 },
	{ BUS_ITF_BALLOON, "D92AA810-BECB-4BD5-A3DA-BD03C135A297", 1, 1 },
	{ BUS_ITF_EMULATED, "959027A1-FCCE-4E78-BCF4-637384F499C5", 1, 3 },
};

static const struct {
	enum bus_interface itf;
	unsigned version;
	size_t x64, x86;
} spec_sizes[] = {
	{ BUS_ITF_SUSPEND, 1, 80, 40 },
	{ BUS_ITF_SHARED_INFO, 2, 96, 48 }, { BUS_ITF_SHARED_INFO, 3, 96, 48 },
	{ BUS_ITF_SHARED_INFO, 4, 104, 52 },
	{ BUS_ITF_EVTCHN, 5, 112, 56 }, { BUS_ITF_EVTCHN, 6, 112, 56 },
	{ BUS_ITF_EVTCHN, 7, 120, 60 }, { BUS_ITF_EVTCHN, 8, 120, 60 },
	{ BUS_ITF_EVTCHN, 9, 120, 60 },
	{ BUS_ITF_DEBUG, 1, 80, 40 },
	{ BUS_ITF_STORE, 2, 136, 68 },
	{ BUS_ITF_RANGE_SET, 1, 88, 44 },
	{ BUS_ITF_CACHE, 1, 80, 40 }, { BUS_ITF_CACHE, 2, 80, 40 },
	{ BUS_ITF_GNTTAB, 2, 104, 52 }, { BUS_ITF_GNTTAB, 3, 112, 56 },
	{ BUS_ITF_GNTTAB, 4, 112, 56 },
	{ BUS_ITF_UNPLUG, 1, 56, 28 }, { BUS_ITF_UNPLUG, 2, 64, 32 },
	{ BUS_ITF_UNPLUG, 3, 80, 40 },
	{ BUS_ITF_CONSOLE, 1, 96, 48 },
	{ BUS_ITF_BALLOON, 1, 64, 32 },
	{ BUS_ITF_EMULATED, 1, 64, 32 }, { BUS_ITF_EMULATED, 2, 64, 32 },
	{ BUS_ITF_EMULATED, 3, 64, 32 },
};

static void format_guid(const struct bus_guid *g, char out[37])
{
	snprintf(out, 37, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
		 g->data1, g->data2, g->data3, g->data4[0], g->data4[1], g->data4[2],
		 g->data4[3], g->data4[4], g->data4[5], g->data4[6], g->data4[7]);
}

static void interface_table_matches_contract(void **state)
{
	char s[37];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(spec_itfs) / sizeof(spec_itfs[0]); i++) {
		const struct bus_interface_desc *d = bus_interface_desc(spec_itfs[i].itf);

		assert_non_null(d);
		format_guid(&d->guid, s);
		assert_string_equal(s, spec_itfs[i].guid);
		assert_int_equal(d->min, spec_itfs[i].min);
		assert_int_equal(d->max, spec_itfs[i].max);
		assert_int_equal(bus_interface_from_guid(&d->guid), spec_itfs[i].itf);
	}
	assert_null(bus_interface_desc(BUS_ITF_COUNT));
	assert_false(bus_interface_desc(BUS_ITF_BALLOON)->on_pdo);
	assert_false(bus_interface_desc(BUS_ITF_EMULATED)->on_pdo);
	assert_true(bus_interface_desc(BUS_ITF_STORE)->on_pdo);
	for (i = 0; i < sizeof(spec_sizes) / sizeof(spec_sizes[0]); i++) {
		assert_int_equal(bus_interface_size(spec_sizes[i].itf, spec_sizes[i].version, 8),
				 spec_sizes[i].x64);
		assert_int_equal(bus_interface_size(spec_sizes[i].itf, spec_sizes[i].version, 4),
				 spec_sizes[i].x86);
	}
}

static void unknown_guid_is_not_an_interface(void **state)
{
	struct bus_guid g = bus_interface_desc(BUS_ITF_EVTCHN)->guid;

	(void)state;
	g.data4[7] ^= 1;
	assert_int_equal(bus_interface_from_guid(&g), BUS_ITF_COUNT);
	assert_int_equal(bus_interface_from_guid(NULL), BUS_ITF_COUNT);
}

static void negotiation_follows_section_0_5(void **state)
{
	size_t size = 0;
	unsigned itf, v;

	(void)state;
	for (itf = 0; itf < BUS_ITF_COUNT; itf++) {
		const struct bus_interface_desc *d = bus_interface_desc(itf);

		for (v = 0; v <= 12; v++) {
			size_t need = bus_interface_size(itf, v, 8);
			xen_status st = bus_interface_negotiate(itf, v, 4096, 8, &size);

			if (v < d->min || v > d->max) {
				assert_int_equal(st, -XEN_EOPNOTSUPP);
				assert_int_equal(need, 0);
				continue;
			}
			assert_int_equal(st, XEN_OK);
			assert_int_equal(size, need);
			assert_int_equal(bus_interface_negotiate(itf, v, need - 1, 8, &size),
					 -XEN_ENOBUFS);
			assert_int_equal(bus_interface_negotiate(itf, v, need, 8, &size), XEN_OK);
			/* An x86 caller's buffer of the x86 size is enough. */
			assert_int_equal(bus_interface_negotiate(itf, v, need / 2, 4, &size), XEN_OK);
			assert_int_equal(size, need / 2);
		}
	}
	/* Version too big for a small buffer: NOT_SUPPORTED wins over size. */
	assert_int_equal(bus_interface_negotiate(BUS_ITF_EVTCHN, 10, 0, 8, &size), -XEN_EOPNOTSUPP);
	assert_int_equal(bus_interface_negotiate(BUS_ITF_COUNT, 1, 4096, 8, &size), -XEN_EOPNOTSUPP);
	assert_int_equal(bus_interface_negotiate(BUS_ITF_STORE, 2, 4096, 2, &size), -XEN_EINVAL);
	assert_int_equal(bus_interface_size(BUS_ITF_STORE, 2, 16), 0);
	assert_int_equal(bus_interface_size(BUS_ITF_STORE, 0xffffffffu, 8), 0);
}

static void revision_table_is_consistent(void **state)
{
	static const uint32_t numbers[] = { 0x09000008, 0x09000009, 0x0900000A,
					    0x0900000B, 0x0900000C };
	const struct bus_revision *r;
	size_t n, i, c;

	(void)state;
	r = bus_revisions(&n);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		assert_int_equal(r[i].number, numbers[i]);
		assert_int_equal(r[i].number >> 24, 9);
		for (c = 0; c < BUS_REVISION_COLUMNS; c++) {
			const struct bus_interface_desc *d = bus_interface_desc(c);

			assert_in_range(r[i].version[c], d->min, d->max);
			if (i > 0)	/* versions never go backwards */
				assert_true(r[i].version[c] >= r[i - 1].version[c]);
			if (i == n - 1)	/* the newest uses every MAX */
				assert_int_equal(r[i].version[c], d->max);
		}
	}
	/* Spot checks against the contract's table. */
	assert_int_equal(r[0].version[BUS_ITF_SHARED_INFO], 3);
	assert_int_equal(r[2].version[BUS_ITF_UNPLUG], 2);
	assert_int_equal(r[3].version[BUS_ITF_EMULATED], 2);
	assert_int_equal(r[4].version[BUS_ITF_EMULATED], 3);
}

static const char vif_ids[] =
	"XENBUS\\VEN_XP0001&DEV_VIF&REV_0900000C\0"
	"XENBUS\\VEN_XP0001&DEV_VIF&REV_0900000B\0"
	"XENBUS\\VEN_XP0001&DEV_VIF&REV_0900000A\0"
	"XENBUS\\VEN_XP0001&DEV_VIF&REV_09000009\0"
	"XENBUS\\VEN_XP0001&DEV_VIF&REV_09000008\0"
	"XENCLASS\0";	/* + the literal's own NUL: the final empty string */

static void pnp_ids_are_exact(void **state)
{
	char buf[512], vendor[16];
	size_t need = 0, i;

	(void)state;
	assert_int_equal(bus_vendor_name("XP", 0x0001, vendor, sizeof(vendor), &need), XEN_OK);
	assert_string_equal(vendor, "XP0001");
	assert_int_equal(need, 7);
	assert_int_equal(bus_vendor_name("XP", 0xC000, buf, sizeof(buf), NULL), XEN_OK);
	assert_string_equal(buf, "XPC000");
	assert_int_equal(bus_vendor_name("XP", 0xabcd, buf, sizeof(buf), NULL), XEN_OK);
	assert_string_equal(buf, "XPABCD");

	assert_int_equal(bus_device_id("XP", "VIF", buf, sizeof(buf), &need), XEN_OK);
	assert_string_equal(buf, "XENBUS\\VEN_XP&DEV_VIF");
	assert_int_equal(need, strlen(buf) + 1);

	assert_int_equal(bus_hardware_ids(vendor, "VIF", buf, sizeof(buf), &need), XEN_OK);
	assert_int_equal(need, sizeof(vif_ids));
	assert_memory_equal(buf, vif_ids, sizeof(vif_ids));
	/* Every smaller buffer is refused, and reports the same need. */
	for (i = 0; i < sizeof(vif_ids); i++) {
		size_t n2 = 0;

		assert_int_equal(bus_hardware_ids(vendor, "VIF", buf, i, &n2), -XEN_ENOBUFS);
		assert_int_equal(n2, sizeof(vif_ids));
	}
	assert_int_equal(bus_hardware_ids(vendor, "VIF", NULL, 0, &need), -XEN_ENOBUFS);
	assert_int_equal(need, sizeof(vif_ids));

	assert_int_equal(bus_device_text(vendor, "VIF", buf, sizeof(buf), NULL), XEN_OK);
	assert_string_equal(buf, "XP0001 XENBUS VIF");
	assert_int_equal(bus_fdo_name(vendor, buf, sizeof(buf), NULL), XEN_OK);
	assert_string_equal(buf, "XP0001 XENBUS");
	assert_string_equal(BUS_INSTANCE_ID, "_");
}

static void pnp_ids_reject_bad_names(void **state)
{
	char buf[256];
	char longname[BUS_NAME_MAX + 2];

	(void)state;
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(bus_device_id("XP", "", buf, sizeof(buf), NULL), -XEN_EINVAL);
	assert_int_equal(bus_device_id("XP", "V&F", buf, sizeof(buf), NULL), -XEN_EINVAL);
	assert_int_equal(bus_device_id("X\\P", "VIF", buf, sizeof(buf), NULL), -XEN_EINVAL);
	assert_int_equal(bus_device_id(NULL, "VIF", buf, sizeof(buf), NULL), -XEN_EINVAL);
	assert_int_equal(bus_hardware_ids("XP0001", longname, buf, sizeof(buf), NULL), -XEN_EINVAL);
	longname[BUS_NAME_MAX] = '\0';	/* exactly the maximum is fine */
	assert_int_equal(bus_device_text("XP0001", longname, buf, sizeof(buf), NULL), XEN_OK);
	assert_int_equal(bus_device_text("XP0001", "VIF", NULL, 10, NULL), -XEN_EINVAL);
	assert_int_equal(bus_vendor_name("X P", 1, buf, sizeof(buf), NULL), -XEN_EINVAL);
}

#define L(s) s, sizeof(s) - 1
static const char supported[] = "VIF\0VBD\0VKBD\0IFACE\0CONS\0";	/* + final NUL */
static const char synthetic[] = "IFACE\0CONS\0";

static void enumerate_default_classes(void **state)
{
	char out[128];
	size_t need = 0;
	unsigned rejected = 99;
	static const char want[] = "VIF\0VBD\0VKBD\0IFACE\0CONS\0";

	(void)state;
	/* xenstore directory payload: no double NUL at the end. */
	assert_int_equal(bus_enumerate(L("vif\0vbd\0vkbd\0qdisk\0vfb\0console"),
				       supported, sizeof(supported), synthetic, sizeof(synthetic),
				       out, sizeof(out), &need, &rejected), XEN_OK);
	assert_int_equal(need, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(rejected, 0);
	assert_true(bus_list_contains(out, need, "VKBD"));
	assert_false(bus_list_contains(out, need, "QDISK"));
	assert_false(bus_list_contains(out, need, "VK"));
}

static void enumerate_untrusted_names(void **state)
{
	char out[128];
	size_t need = 0;
	unsigned rejected = 0;
	static const char want[] = "VBD\0VIF\0CONS\0";

	(void)state;
	/* Malformed names, a duplicate in another case, a truncated class that
	 * upstream's prefix compare would accept, an empty entry mid-list
	 * (ends the list), and an over-long name. */
	assert_int_equal(bus_enumerate(L("v&f\0VBD\0Vif\0vif\0VI\0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\0v bd\0"),
				       supported, sizeof(supported), L("CONS\0vbd\0\0IFACE\0"),
				       out, sizeof(out), &need, &rejected), XEN_OK);
	assert_int_equal(need, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(rejected, 3);

	/* A final entry that runs to the end of the buffer without a NUL. */
	assert_int_equal(bus_enumerate("vbd", 3, supported, sizeof(supported), NULL, 0,
				       out, sizeof(out), &need, NULL), XEN_OK);
	assert_memory_equal(out, "VBD\0", 5);

	/* Nothing supported: nothing exists, just the terminator. */
	assert_int_equal(bus_enumerate(L("vif\0"), NULL, 0, synthetic, sizeof(synthetic),
				       out, sizeof(out), &need, NULL), XEN_OK);
	assert_int_equal(need, 1);
	assert_int_equal(out[0], '\0');

	/* Too small, and bad pointers. */
	assert_int_equal(bus_enumerate(L("vif\0vbd\0"), supported, sizeof(supported), NULL, 0,
				       out, 5, &need, NULL), -XEN_ENOBUFS);
	assert_int_equal(need, 9);
	assert_int_equal(bus_enumerate(NULL, 3, supported, sizeof(supported), NULL, 0,
				       out, sizeof(out), &need, NULL), -XEN_EINVAL);
	assert_int_equal(bus_enumerate(L("vif\0"), supported, sizeof(supported), NULL, 0,
				       NULL, 4, &need, NULL), -XEN_EINVAL);
}

/* Random directory payloads: the output is always a well-formed list of
 * supported names, each once, and `need` never lies. */
static void enumerate_random_input(void **state)
{
	static const char alphabet[] = "vifbdVIFBDkeacons\0\0&_-9 \xff";
	char in[96], out[256];
	unsigned seed = 12345, iter;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		size_t len, i, need = 0, pos, n;
		xen_status st;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(in);
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		st = bus_enumerate(in, len, supported, sizeof(supported), synthetic,
				   sizeof(synthetic), out, sizeof(out), &need, NULL);
		assert_int_equal(st, XEN_OK);
		assert_in_range(need, 1, sizeof(out));
		for (pos = 0; out[pos]; pos += n + 1) {
			n = strlen(out + pos);
			assert_true(bus_list_contains(supported, sizeof(supported), out + pos));
			assert_false(bus_list_contains(out + pos + n + 1, need - pos - n - 1, out + pos));
		}
		assert_int_equal(pos + 1, need);
		/* The synthetic classes always exist. */
		assert_true(bus_list_contains(out, need, "IFACE"));
		assert_true(bus_list_contains(out, need, "CONS"));
	}
}

static void driver_entries(void **state)
{
	const uint16_t ver[4] = { 9, 1, 0, 65535 };
	char buf[128];
	size_t need;
	unsigned slot = 999;

	(void)state;
	assert_int_equal(bus_driver_entry("Xen Project", ver, false, buf, sizeof(buf), &need), XEN_OK);
	assert_string_equal(buf, "Xen_Project XENBUS 9.1.0.65535 ");
	assert_int_equal(need, strlen(buf) + 1);
	assert_int_equal(bus_driver_entry("A.B-c", ver, true, buf, sizeof(buf), NULL), XEN_OK);
	assert_string_equal(buf, "A_B_c XENBUS 9.1.0.65535 (DEBUG)");
	assert_int_equal(bus_driver_entry("Xen Project", ver, false, buf, 10, &need), -XEN_ENOBUFS);
	assert_int_equal(need, 32);
	assert_int_equal(bus_driver_entry("", ver, false, buf, sizeof(buf), NULL), -XEN_EINVAL);
	assert_int_equal(bus_driver_entry("V", NULL, false, buf, sizeof(buf), NULL), -XEN_EINVAL);

	assert_true(bus_driver_entry_is_ours(L("Xen_Project XENBUS 9.1.0.1 "), "Xen Project"));
	assert_true(bus_driver_entry_is_ours(L("xen_project xenbus 8.2.0.0 (DEBUG)"), "Xen Project"));
	assert_false(bus_driver_entry_is_ours(L("Xen_Project XENVIF 9.1.0.1 "), "Xen Project"));
	assert_false(bus_driver_entry_is_ours(L("Xen_Projectx XENBUS 9.1"), "Xen Project"));
	assert_false(bus_driver_entry_is_ours(L("Xen_Project XENBUSY 9.1"), "Xen Project"));
	assert_false(bus_driver_entry_is_ours(L("Xen_Project"), "Xen Project"));
	assert_false(bus_driver_entry_is_ours(L(""), "Xen Project"));
	/* Bounded by len, not by a NUL. */
	assert_false(bus_driver_entry_is_ours("Xen_Project XENBUS", 15, "Xen Project"));
	assert_true(bus_driver_entry_is_ours("Xen_Project XENBUS", 18, "Xen Project"));

	assert_int_equal(bus_driver_slot(NULL, 0, &slot), XEN_OK);
	assert_int_equal(slot, 0);
	assert_int_equal(bus_driver_slot(L("0\0" "1\0" "3\0"), &slot), XEN_OK);
	assert_int_equal(slot, 2);
	/* Non-canonical or out-of-range names do not take a slot. */
	assert_int_equal(bus_driver_slot(L("0\0" "01\0" "1x\0" "256\0" "-1"), &slot), XEN_OK);
	assert_int_equal(slot, 1);
	assert_int_equal(bus_driver_slot(NULL, 3, &slot), -XEN_EINVAL);
	assert_int_equal(bus_driver_slot(L("0\0"), NULL), -XEN_EINVAL);
}

static void driver_slots_run_out(void **state)
{
	char listing[BUS_DRIVER_SLOTS * 4];
	size_t len = 0;
	unsigned i, slot;

	(void)state;
	for (i = 0; i < BUS_DRIVER_SLOTS; i++) {
		if (i == 200)
			continue;
		len += (size_t)sprintf(listing + len, "%u", i) + 1;
	}
	assert_int_equal(bus_driver_slot(listing, len, &slot), XEN_OK);
	assert_int_equal(slot, 200);
	len += (size_t)sprintf(listing + len, "200") + 1;
	assert_int_equal(bus_driver_slot(listing, len, &slot), -XEN_ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(interface_table_matches_contract),
		cmocka_unit_test(unknown_guid_is_not_an_interface),
		cmocka_unit_test(negotiation_follows_section_0_5),
		cmocka_unit_test(revision_table_is_consistent),
		cmocka_unit_test(pnp_ids_are_exact),
		cmocka_unit_test(pnp_ids_reject_bad_names),
		cmocka_unit_test(enumerate_default_classes),
		cmocka_unit_test(enumerate_untrusted_names),
		cmocka_unit_test(enumerate_random_input),
		cmocka_unit_test(driver_entries),
		cmocka_unit_test(driver_slots_run_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
