#include <stdio.h>
#include <string.h>

#include "sim.h"
#include "sim_platform.h"
#include "unplug.h"

#define PLATFORM_LOG_LINE 4096	/* QEMU's log buffer */
#define PLATFORM_LOG_MAX 65536
#define PLATFORM_TRACE_MAX 4096
#define PLATFORM_WRITES_MAX 64

static struct {
	struct sim_platform_config config;
	bool blacklisted;
	uint16_t unplugged;
	uint16_t writes[PLATFORM_WRITES_MAX];
	unsigned nwrites;
	bool have_product, have_build;
	uint16_t product;
	uint32_t build;
	uint8_t flags;
	char line[PLATFORM_LOG_LINE];
	size_t line_len;
	char log[PLATFORM_LOG_MAX + 1];
	size_t log_len;
	char trace[PLATFORM_TRACE_MAX + 1];
	size_t trace_len;
} plat;

static void platform_trace(const char *what, unsigned size, uint16_t port)
{
	static const char sz[] = "?bw?l";
	int n;

	n = snprintf(plat.trace + plat.trace_len, sizeof(plat.trace) - plat.trace_len,
		     "%s%c%x ", what, sz[size], port);
	if (n > 0 && plat.trace_len + (size_t)n < sizeof(plat.trace))
		plat.trace_len += (size_t)n;
}

static uint32_t platform_in(uint16_t port, unsigned size)
{
	uint32_t ones = 0xffffffffu >> (32 - 8 * size);

	platform_trace("in", size, port);
	if (port == UNPLUG_PORT_MAGIC && size == 2)
		return plat.blacklisted ? UNPLUG_MAGIC_BLACKLISTED : UNPLUG_MAGIC;
	if (port == UNPLUG_PORT_MAGIC && size == 1)
		return plat.flags;
	if (port == UNPLUG_PORT_VERSION && size == 1)
		return plat.config.protocol;
	return ones;
}

static void platform_log_byte(uint8_t c)
{
	size_t n;

	if (c != '\n' && plat.line_len < PLATFORM_LOG_LINE - 1) {
		plat.line[plat.line_len++] = (char)c;
		return;
	}
	if (c != '\n')
		plat.line[plat.line_len++] = (char)c;
	/* A full or finished line goes out as one. */
	n = plat.line_len;
	if (plat.log_len + n + 1 > PLATFORM_LOG_MAX)
		plat.log_len = 0;
	memcpy(plat.log + plat.log_len, plat.line, n);
	plat.log_len += n;
	plat.log[plat.log_len++] = '\n';
	plat.log[plat.log_len] = '\0';
	plat.line_len = 0;
}

static void platform_unplug(uint16_t flags)
{
	if (plat.nwrites < PLATFORM_WRITES_MAX)
		plat.writes[plat.nwrites] = flags;
	plat.nwrites++;
	if (flags & UNPLUG_FLAG_IDE_DISKS)
		plat.unplugged |= UNPLUG_FLAG_IDE_DISKS;
	else
		plat.unplugged |= flags & UNPLUG_FLAG_AUX_IDE_DISKS;
	plat.unplugged |= flags & (UNPLUG_FLAG_NICS | UNPLUG_FLAG_NVME_DISKS);
}

static void platform_out(uint16_t port, unsigned size, uint32_t value)
{
	platform_trace("out", size, port);
	if (port == UNPLUG_PORT_MAGIC && size == 2) {
		platform_unplug((uint16_t)value);
	} else if (port == UNPLUG_PORT_MAGIC && size == 4) {
		plat.have_build = true;
		plat.build = value;
	} else if (port == UNPLUG_PORT_MAGIC && size == 1) {
		plat.flags = (uint8_t)value;
	} else if (port == UNPLUG_PORT_VERSION && size == 2) {
		plat.have_product = true;
		plat.product = (uint16_t)value;
		if (plat.config.mode == SIM_PLATFORM_BLACKLIST_ON_HANDSHAKE)
			plat.blacklisted = true;
	} else if (port == UNPLUG_PORT_VERSION && size == 1) {
		platform_log_byte((uint8_t)value);
	}
}

void sim_platform_init(const struct sim_platform_config *config)
{
	static const struct sim_platform_config dflt = { SIM_PLATFORM_NORMAL, 1 };

	memset(&plat, 0, sizeof(plat));
	plat.config = config ? *config : dflt;
	if (plat.config.mode == SIM_PLATFORM_ABSENT)
		return;
	plat.blacklisted = plat.config.mode == SIM_PLATFORM_BLACKLISTED;
	sim_register_ports(0x10, 4, platform_in, platform_out);
}

uint16_t sim_platform_unplugged(void)
{
	return plat.unplugged;
}

unsigned sim_platform_writes(uint16_t *out, unsigned max)
{
	unsigned i;

	for (i = 0; i < max && i < plat.nwrites && i < PLATFORM_WRITES_MAX; i++)
		out[i] = plat.writes[i];
	return plat.nwrites;
}

bool sim_platform_product(uint16_t *product)
{
	*product = plat.product;
	return plat.have_product;
}

bool sim_platform_build(uint32_t *build)
{
	*build = plat.build;
	return plat.have_build;
}

const char *sim_platform_trace(void)
{
	return plat.trace;
}

const char *sim_platform_log(void)
{
	return plat.log;
}
