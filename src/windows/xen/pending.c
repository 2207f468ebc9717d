/* TEMPORARY stand-ins for core modules not yet in main (detect, options,
 * log). Deleted when they land; only here so xen.sys links meanwhile. */
#include <ntddk.h>
#include "compiler.h"
#include "pending.h"

int __cdecl _vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

xen_status detect_xen(struct detect_info *info)
{
	uint32_t base, r[4];

	for (base = 0x40000000u; base < 0x40010000u; base += 0x100) {
		os_cpuid(base, 0, r);
		if (r[1] == 0x566e6558u && r[2] == 0x65584d4du && r[3] == 0x4d4d566eu &&
		    r[0] >= base + 2) {
			info->base = base;
			info->max_leaf = r[0];
			os_cpuid(base + 1, 0, r);
			info->major = (uint16_t)(r[0] >> 16);
			info->minor = (uint16_t)r[0];
			os_cpuid(base + 2, 0, r);
			info->hypercall_pages = r[0];
			info->hypercall_msr = r[1];
			info->hvm_features = 0;
			return XEN_OK;
		}
	}
	return -XEN_ENODEV;
}

void options_parse(const char *cmdline, size_t len, struct options *out)
{
	(void)cmdline; (void)len;
	out->dbg_print = true;
	out->boot_emulated = false;
	out->balloon = true;
	out->watchdog_s = 0;
}

struct sink { void (*write)(void *, const char *, size_t); void *ctx; uint32_t mask; uint16_t port; };
static struct sink sinks[8];
static os_spinlock lock;

void log_init(void) { os_spin_init(&lock); }

static void log_vprintf(uint32_t level, const char *fmt, va_list ap)
{
	char buf[256];
	int n = _vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	os_lock_state s;
	unsigned i;

	if (n < 0 || n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	buf[n] = 0;
	s = os_spin_lock(&lock);
	for (i = 0; i < 8; i++) {
		if (!(sinks[i].mask & level))
			continue;
		if (sinks[i].write)
			sinks[i].write(sinks[i].ctx, buf, (size_t)n);
		else
			os_outsb(sinks[i].port, buf, (size_t)n);
	}
	os_spin_unlock(&lock, s);
}

void log_printf(uint32_t level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

static xen_status add(struct sink *s, int *handle)
{
	unsigned i;
	for (i = 0; i < 8; i++)
		if (!sinks[i].mask) {
			sinks[i] = *s;
			*handle = (int)i;
			return XEN_OK;
		}
	return -XEN_ENOSPC;
}

xen_status log_add_port_sink(uint16_t port, uint32_t mask, int *handle)
{
	struct sink s = { NULL, NULL, mask, port };
	return add(&s, handle);
}

xen_status log_add_sink(void (*write)(void *, const char *, size_t), void *ctx, uint32_t mask, int *handle)
{
	struct sink s = { write, ctx, mask, 0 };
	return add(&s, handle);
}

size_t log_format(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n;
	if (!size)
		return 0;
	n = _vsnprintf(buf, size - 1, fmt, ap);
	if (n < 0 || (size_t)n > size - 1)
		n = (int)size - 1;
	buf[n] = 0;
	return (size_t)n;
}
