/*
 * The child-driver headers (include/) agree with the bus's own interface
 * table (src/core/bus.c) and with the contract's size and revision tables
 * (tests/ifaces/contract.h): GUIDs, version ranges, method counts, struct
 * sizes, PDO revisions. The struct layouts themselves are checked by the
 * mingw build in tests/stages/55-ifaces.sh.
 *
 * With _WINDLL defined the headers expose only their GUIDs and version
 * macros, so they are read here without any Windows header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "bus.h"
#include "compiler.h"

#define _WINDLL 1
#define DEFINE_GUID(name, l, w1, w2, b0, b1, b2, b3, b4, b5, b6, b7) \
	static const struct bus_guid name = { l, w1, w2, { b0, b1, b2, b3, b4, b5, b6, b7 } };
#include "../../include/suspend_interface.h"
#include "../../include/shared_info_interface.h"
#include "../../include/evtchn_interface.h"
#include "../../include/debug_interface.h"
#include "../../include/store_interface.h"
#include "../../include/range_set_interface.h"
#include "../../include/cache_interface.h"
#include "../../include/gnttab_interface.h"
#include "../../include/unplug_interface.h"
#include "../../include/console_interface.h"
#include "../../include/balloon_interface.h"
#include "../../include/emulated_interface.h"
#include "../../include/revision.h"

#include "../ifaces/contract.h"

struct header_itf {
	const char *name;
	const struct bus_guid *guid;
	unsigned min, max;
};

#define HEADER(name, prefix)                                            \
	{ #name, &GUID_##prefix##_##name##_INTERFACE,                    \
	  prefix##_##name##_INTERFACE_VERSION_MIN, prefix##_##name##_INTERFACE_VERSION_MAX }

static const struct header_itf headers[] = {
	HEADER(SUSPEND, XENBUS),   HEADER(SHARED_INFO, XENBUS), HEADER(EVTCHN, XENBUS),
	HEADER(DEBUG, XENBUS),     HEADER(STORE, XENBUS),       HEADER(RANGE_SET, XENBUS),
	HEADER(CACHE, XENBUS),     HEADER(GNTTAB, XENBUS),      HEADER(UNPLUG, XENBUS),
	HEADER(CONSOLE, XENBUS),   HEADER(BALLOON, XENBUS),     HEADER(EMULATED, XENFILT),
};

struct contract_row {
	const char *tag, *itf;
	unsigned version, methods;
	size_t x64, x86;
};

#define CONTRACT_ROW(TAG, ITF, VER, N, S64, S86) { #TAG, #ITF, VER, N, S64, S86 },
static const struct contract_row contract[] = { CONTRACT_VERSIONS(CONTRACT_ROW) };

#define REVISION_COLUMNS 11
struct revision_row {
	uint32_t number;
	uint8_t v[REVISION_COLUMNS];
};

#define REV_ROW(n, a, b, c, d, e, f, g, h, i, j, k) { n, { a, b, c, d, e, f, g, h, i, j, k } }
#define DEFINE_REVISION REV_ROW
static const struct revision_row header_revisions[] = { DEFINE_REVISION_TABLE };
#define CONTRACT_REV(n, a, b, c, d, e, f, g, h, i, j, k) REV_ROW(n, a, b, c, d, e, f, g, h, i, j, k),
static const struct revision_row contract_revisions[] = { CONTRACT_REVISIONS(CONTRACT_REV) };

/* Revision columns in the order of the table (bus.h: enum bus_interface). */
static const char *const revision_names[REVISION_COLUMNS] = {
	"SUSPEND", "SHARED_INFO", "EVTCHN", "DEBUG", "STORE", "RANGE_SET",
	"CACHE", "GNTTAB", "UNPLUG", "CONSOLE", "EMULATED",
};

static const struct header_itf *header_named(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(headers); i++)
		if (strcmp(headers[i].name, name) == 0)
			return &headers[i];
	return NULL;
}

static enum bus_interface bus_named(const char *name)
{
	unsigned i;

	for (i = 0; i < BUS_ITF_COUNT; i++)
		if (strcmp(bus_interface_desc((enum bus_interface)i)->name, name) == 0)
			return (enum bus_interface)i;
	return BUS_ITF_COUNT;
}

static void header_guids_equal_bus_table(void **state)
{
	size_t i;

	(void)state;
	/* One header per bus interface, and the reverse. */
	assert_int_equal(ARRAY_SIZE(headers), BUS_ITF_COUNT);
	for (i = 0; i < ARRAY_SIZE(headers); i++) {
		enum bus_interface itf = bus_interface_from_guid(headers[i].guid);

		if (itf == BUS_ITF_COUNT)
			fail_msg("%s: header GUID is not in bus.c's table", headers[i].name);
		assert_string_equal(bus_interface_desc(itf)->name, headers[i].name);
		assert_memory_equal(&bus_interface_desc(itf)->guid, headers[i].guid,
				    sizeof(struct bus_guid));
	}
}

static void header_versions_equal_bus_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(headers); i++) {
		enum bus_interface itf = bus_named(headers[i].name);

		assert_int_not_equal(itf, BUS_ITF_COUNT);
		if (bus_interface_desc(itf)->min != headers[i].min ||
		    bus_interface_desc(itf)->max != headers[i].max)
			fail_msg("%s: header serves %u..%u, bus.c %u..%u", headers[i].name,
				 headers[i].min, headers[i].max, bus_interface_desc(itf)->min,
				 bus_interface_desc(itf)->max);
	}
}

/* Whether the contract has a row for (name, version). */
static const struct contract_row *contract_row(const char *name, unsigned version)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(contract); i++)
		if (strcmp(contract[i].itf, name) == 0 && contract[i].version == version)
			return &contract[i];
	return NULL;
}

static void served_versions_and_sizes_equal_contract(void **state)
{
	size_t i, size = 0;
	unsigned v;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(contract); i++) {
		const struct contract_row *r = &contract[i];
		enum bus_interface itf = bus_named(r->itf);

		assert_int_not_equal(itf, BUS_ITF_COUNT);
		if (bus_interface_desc(itf)->methods[r->version] != r->methods ||
		    bus_interface_size(itf, r->version, 8) != r->x64 ||
		    bus_interface_size(itf, r->version, 4) != r->x86)
			fail_msg("%s: bus.c has %u methods, %zu/%zu bytes; contract %u, %zu/%zu",
				 r->tag, bus_interface_desc(itf)->methods[r->version],
				 bus_interface_size(itf, r->version, 8),
				 bus_interface_size(itf, r->version, 4), r->methods, r->x64, r->x86);
		assert_int_equal(bus_interface_negotiate(itf, r->version, r->x64, 8, &size), XEN_OK);
		assert_int_equal(size, r->x64);
		assert_int_equal(bus_interface_negotiate(itf, r->version, r->x86 - 1, 4, &size),
				 -XEN_ENOBUFS);
	}
	/* Every version a header's MIN..MAX promises is a contract row, and
	 * nothing outside it is served. */
	for (i = 0; i < ARRAY_SIZE(headers); i++) {
		enum bus_interface itf = bus_named(headers[i].name);

		for (v = 0; v <= BUS_MAX_VERSION + 1; v++) {
			bool in_range = v >= headers[i].min && v <= headers[i].max;

			if (in_range != (contract_row(headers[i].name, v) != NULL))
				fail_msg("%s v%u: header range and contract disagree",
					 headers[i].name, v);
			assert_int_equal(bus_interface_size(itf, v, 8) != 0, in_range);
		}
	}
}

static void revision_tables_agree(void **state)
{
	const struct bus_revision *bus;
	size_t count, i, c;

	(void)state;
	bus = bus_revisions(&count);
	assert_int_equal(ARRAY_SIZE(header_revisions), ARRAY_SIZE(contract_revisions));
	assert_int_equal(count, ARRAY_SIZE(header_revisions));
	assert_int_equal(BUS_REVISION_COLUMNS, REVISION_COLUMNS);
	for (i = 0; i < count; i++) {
		assert_int_equal(header_revisions[i].number, contract_revisions[i].number);
		assert_int_equal(bus[i].number, header_revisions[i].number);
		assert_memory_equal(header_revisions[i].v, contract_revisions[i].v, REVISION_COLUMNS);
		assert_memory_equal(bus[i].version, header_revisions[i].v, REVISION_COLUMNS);
		if (i > 0)
			assert_true(header_revisions[i].number > header_revisions[i - 1].number);
		assert_int_equal(header_revisions[i].number >> 24, 9);
		/* Each revision names versions the headers declare. */
		for (c = 0; c < REVISION_COLUMNS; c++) {
			const struct header_itf *h = header_named(revision_names[c]);

			assert_non_null(h);
			assert_in_range(header_revisions[i].v[c], h->min, h->max);
			if (i == count - 1 && header_revisions[i].v[c] != h->max)
				fail_msg("newest revision has %s v%u, header MAX is %u",
					 revision_names[c], header_revisions[i].v[c], h->max);
		}
	}
	/* The column order is bus.h's enum order. */
	for (c = 0; c < REVISION_COLUMNS; c++)
		assert_string_equal(bus_interface_desc((enum bus_interface)c)->name,
				    revision_names[c]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_guids_equal_bus_table),
		cmocka_unit_test(header_versions_equal_bus_table),
		cmocka_unit_test(served_versions_and_sizes_equal_contract),
		cmocka_unit_test(revision_tables_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
