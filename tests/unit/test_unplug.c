/* Unplug: decision table, counter scheme, and the port protocol against the
 * platform device model (with and without its magic). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "log.h"
#include "log_capture.h"
#include "sim.h"
#include "sim_platform.h"
#include "unplug.h"

#define BUILD_9_1_0 0x00090100u

static int setup(void **state)
{
	(void)state;
	sim_init(NULL);
	unplug_init();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	log_init();
	sim_fini();
	return 0;
}

static void decision_table(void **state)
{
	static const struct {
		struct unplug_inputs in;
		bool request, del;
	} rows[] = {
		/* force_present force value_present value device_known */
		{ { false, 0, false, 0, false }, false, false },	/* nothing set */
		{ { false, 0, false, 0, true }, false, false },
		{ { true, 1, false, 0, false }, true, false },	/* forced, no veto */
		{ { true, 7, true, 0, false }, true, true },	/* forced beats 0 */
		{ { true, 0, true, 2, true }, true, true },	/* force 0: normal rules */
		{ { true, 0, false, 0, true }, false, false },
		{ { false, 0, true, 0, true }, false, true },	/* counter at 0 */
		{ { false, 0, true, 1, true }, true, true },	/* requested */
		{ { false, 0, true, 3, false }, false, true },	/* veto: no VBD/VIF known */
		{ { false, 0, true, 0xffffffffu, true }, true, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct unplug_decision d = unplug_decide(&rows[i].in);

		assert_int_equal(d.request, rows[i].request);
		assert_int_equal(d.delete_value, rows[i].del);
	}
	assert_false(unplug_decide(NULL).request);
}

#define L(s) s, sizeof(s) - 1

static void enum_veto_names(void **state)
{
	(void)state;
	assert_true(unplug_device_known(L("VEN_XP0001&DEV_VBD&REV_0900000C\0"), UNPLUG_DISKS));
	assert_false(unplug_device_known(L("VEN_XP0001&DEV_VBD&REV_0900000C\0"), UNPLUG_NICS));
	assert_true(unplug_device_known(L("VEN_XP&DEV_IFACE\0ven_xp&dev_vif\0"), UNPLUG_NICS));
	/* An empty entry ends the list; a word split across entries is no match. */
	assert_false(unplug_device_known(L("IFACE\0\0VIF\0"), UNPLUG_NICS));
	assert_false(unplug_device_known(L("xxV\0IFxx\0"), UNPLUG_NICS));
	/* Unterminated last entry, bounded by len. */
	assert_true(unplug_device_known("ABVBD", 5, UNPLUG_DISKS));
	assert_false(unplug_device_known("ABVBD", 4, UNPLUG_DISKS));
	assert_false(unplug_device_known(NULL, 10, UNPLUG_DISKS));
	assert_false(unplug_device_known(L("VBD\0"), UNPLUG_TYPES));
}

static void counter_scheme(void **state)
{
	uint32_t v = 1234;

	(void)state;
	assert_int_equal(unplug_counter_update(false, 0, true, &v), XEN_OK);
	assert_int_equal(v, 1);
	assert_int_equal(unplug_counter_update(true, 1, true, &v), XEN_OK);
	assert_int_equal(v, 2);
	assert_int_equal(unplug_counter_update(true, 2, false, &v), XEN_OK);
	assert_int_equal(v, 1);
	v = 77;
	assert_int_equal(unplug_counter_update(false, 0, false, &v), -XEN_ENOENT);
	assert_int_equal(unplug_counter_update(true, 0, false, &v), -XEN_ERANGE);
	assert_int_equal(unplug_counter_update(true, UINT32_MAX, true, &v), -XEN_ERANGE);
	assert_int_equal(v, 77);
	assert_int_equal(unplug_counter_update(true, 0, true, NULL), -XEN_EINVAL);
}

static void flags_and_names(void **state)
{
	(void)state;
	assert_int_equal(unplug_flags(UNPLUG_DISKS, false), 0x0009);
	assert_int_equal(unplug_flags(UNPLUG_DISKS, true), 0x0004);
	assert_int_equal(unplug_flags(UNPLUG_NICS, false), 0x0002);
	assert_int_equal(unplug_flags(UNPLUG_NICS, true), 0x0002);
	assert_int_equal(unplug_flags(UNPLUG_TYPES, false), 0);
	assert_string_equal(unplug_flags_name(0x0009), "DISKS");
	assert_string_equal(unplug_flags_name(0x0004), "AUX DISKS");
	assert_string_equal(unplug_flags_name(0x0002), "NICS");
	assert_string_equal(unplug_flags_name(0x0001), "?");
	assert_int_equal(unplug_type_from_interface(1), UNPLUG_NICS);
	assert_int_equal(unplug_type_from_interface(2), UNPLUG_DISKS);
	assert_int_equal(unplug_type_from_interface(0), UNPLUG_TYPES);
	assert_int_equal(unplug_type_from_interface(3), UNPLUG_TYPES);
}

static void unplug_with_magic(void **state)
{
	const bool both[UNPLUG_TYPES] = { true, true };
	struct unplug_report rep;
	uint16_t w[4], product;
	uint32_t build;

	(void)state;
	sim_platform_init(NULL);
	log_capture_start(LOG_INFO | LOG_WARNING | LOG_ERROR);
	assert_int_equal(unplug_devices(both, false, UNPLUG_PRODUCT_DEFAULT, BUILD_9_1_0, &rep),
			 XEN_OK);
	assert_string_equal(log_captured.text, "UNPLUG: PRE-AMBLE (DRIVERS NOT BLACKLISTED)\n"
			    "UNPLUG: DISKS\nUNPLUG: NICS\n");
	/* Magic, version, product, build, magic again, then disks before NICs. */
	assert_string_equal(sim_platform_trace(),
			    "inw10 inb12 outw12 outl10 inw10 outw10 outw10 ");
	assert_int_equal(sim_platform_writes(w, 4), 2);
	assert_int_equal(w[0], 0x0009);
	assert_int_equal(w[1], 0x0002);
	assert_true(sim_platform_product(&product));
	assert_int_equal(product, 0xFFFF);
	assert_true(sim_platform_build(&build));
	assert_int_equal(build, BUILD_9_1_0);
	assert_int_equal(sim_platform_unplugged(),
			 UNPLUG_FLAG_IDE_DISKS | UNPLUG_FLAG_NVME_DISKS | UNPLUG_FLAG_NICS);
	assert_int_equal(rep.magic, UNPLUG_MAGIC);
	assert_int_equal(rep.protocol, 1);
	assert_false(rep.blacklisted);
	assert_int_equal(rep.writes, 2);
	assert_int_equal(rep.written[0], 0x0009);
	assert_int_equal(rep.written[1], 0x0002);
}

static void unplug_boot_emulated_nics_only(void **state)
{
	const bool disks[UNPLUG_TYPES] = { true, false };
	const bool nics[UNPLUG_TYPES] = { false, true };
	const bool none[UNPLUG_TYPES] = { false, false };
	struct unplug_report rep;
	uint16_t w[4];

	(void)state;
	sim_platform_init(NULL);
	assert_int_equal(unplug_devices(disks, true, 1, BUILD_9_1_0, NULL), XEN_OK);
	assert_int_equal(sim_platform_unplugged(), UNPLUG_FLAG_AUX_IDE_DISKS);
	assert_int_equal(unplug_devices(nics, true, 1, BUILD_9_1_0, &rep), XEN_OK);
	assert_int_equal(rep.writes, 1);
	assert_int_equal(sim_platform_unplugged(), UNPLUG_FLAG_AUX_IDE_DISKS | UNPLUG_FLAG_NICS);
	/* Nothing requested: the handshake still runs (as on every resume). */
	assert_int_equal(unplug_devices(none, false, 1, BUILD_9_1_0, &rep), XEN_OK);
	assert_int_equal(rep.writes, 0);
	assert_int_equal(sim_platform_writes(w, 4), 2);
	assert_int_equal(w[0], 0x0004);
	assert_int_equal(w[1], 0x0002);
	assert_int_equal(unplug_devices(NULL, false, 1, BUILD_9_1_0, &rep), -XEN_EINVAL);
}

static void unplug_without_platform_device(void **state)
{
	const bool both[UNPLUG_TYPES] = { true, true };
	const struct sim_platform_config absent = { SIM_PLATFORM_ABSENT, 1 };
	struct unplug_report rep;
	uint16_t w[4];

	(void)state;
	sim_platform_init(&absent);
	log_capture_start(LOG_INFO | LOG_WARNING | LOG_ERROR);
	assert_int_equal(unplug_devices(both, false, 1, BUILD_9_1_0, &rep), -XEN_ENODEV);
	assert_string_equal(log_captured.text, "UNPLUG: NO PLATFORM DEVICE (MAGIC ffff)\n");
	assert_int_equal(rep.magic, 0xFFFF);
	assert_int_equal(rep.writes, 0);
	assert_int_equal(sim_platform_writes(w, 4), 0);
	assert_int_equal(sim_platform_unplugged(), 0);
}

static void unplug_old_protocol_skips_handshake(void **state)
{
	const bool both[UNPLUG_TYPES] = { true, true };
	const struct sim_platform_config v0 = { SIM_PLATFORM_NORMAL, 0 };
	struct unplug_report rep;
	uint16_t product;

	(void)state;
	sim_platform_init(&v0);
	assert_int_equal(unplug_devices(both, false, 1, BUILD_9_1_0, &rep), XEN_OK);
	assert_string_equal(sim_platform_trace(), "inw10 inb12 outw10 outw10 ");
	assert_false(sim_platform_product(&product));
	assert_int_equal(rep.protocol, 0);
	assert_int_equal(rep.writes, 2);
}

static void unplug_blacklisted(void **state)
{
	const bool both[UNPLUG_TYPES] = { true, true };
	const struct sim_platform_config bl = { SIM_PLATFORM_BLACKLISTED, 1 };
	const struct sim_platform_config late = { SIM_PLATFORM_BLACKLIST_ON_HANDSHAKE, 1 };
	struct unplug_report rep;
	uint16_t product;

	(void)state;
	sim_platform_init(&bl);
	log_capture_start(LOG_INFO);
	assert_int_equal(unplug_devices(both, false, 1, BUILD_9_1_0, &rep), XEN_OK);
	assert_string_equal(log_captured.text, "UNPLUG: PRE-AMBLE (DRIVERS BLACKLISTED)\n");
	assert_true(rep.blacklisted);
	assert_int_equal(rep.magic, UNPLUG_MAGIC_BLACKLISTED);
	/* No handshake once blacklisted, but the unplug writes still happen. */
	assert_false(sim_platform_product(&product));
	assert_string_equal(sim_platform_trace(), "inw10 outw10 outw10 ");
	assert_int_equal(rep.writes, 2);

	sim_init(NULL);
	sim_platform_init(&late);
	assert_int_equal(unplug_devices(both, false, 7, BUILD_9_1_0, &rep), XEN_OK);
	assert_int_equal(rep.magic, UNPLUG_MAGIC);
	assert_true(rep.blacklisted);
	assert_true(sim_platform_product(&product));
	assert_int_equal(product, 7);
	assert_int_equal(sim_platform_unplugged(),
			 UNPLUG_FLAG_IDE_DISKS | UNPLUG_FLAG_NVME_DISKS | UNPLUG_FLAG_NICS);
}

static void platform_model_rules(void **state)
{
	(void)state;
	sim_platform_init(NULL);
	/* QEMU: aux IDE is ignored when IDE disks are in the same write. */
	os_outw(UNPLUG_PORT_MAGIC, UNPLUG_FLAG_IDE_DISKS | UNPLUG_FLAG_AUX_IDE_DISKS);
	assert_int_equal(sim_platform_unplugged(), UNPLUG_FLAG_IDE_DISKS);
	/* Byte writes to 0x12 are the log port: one line per newline. */
	os_outsb(UNPLUG_PORT_VERSION, "hello\nwor", 9);
	assert_string_equal(sim_platform_log(), "hello\n");
	os_outsb(UNPLUG_PORT_VERSION, "ld\n", 3);
	assert_string_equal(sim_platform_log(), "hello\nworld\n");
	/* Other widths read all-ones; the platform flags byte reads back. */
	assert_int_equal(os_inw(UNPLUG_PORT_VERSION), 0xFFFF);
	os_outb(UNPLUG_PORT_MAGIC, 0x5a);
	assert_int_equal(os_inb(UNPLUG_PORT_MAGIC), 0x5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decision_table),
		cmocka_unit_test(enum_veto_names),
		cmocka_unit_test(counter_scheme),
		cmocka_unit_test(flags_and_names),
		cmocka_unit_test_setup_teardown(unplug_with_magic, setup, teardown),
		cmocka_unit_test_setup_teardown(unplug_boot_emulated_nics_only, setup, teardown),
		cmocka_unit_test_setup_teardown(unplug_without_platform_device, setup, teardown),
		cmocka_unit_test_setup_teardown(unplug_old_protocol_skips_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(unplug_blacklisted, setup, teardown),
		cmocka_unit_test_setup_teardown(platform_model_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
