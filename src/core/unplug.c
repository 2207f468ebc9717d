#include "compiler.h"
#include "log.h"
#include "text.h"
#include "unplug.h"

static os_spinlock unplug_lock;

void unplug_init(void)
{
	os_spin_init(&unplug_lock);
}

enum unplug_type unplug_type_from_interface(uint32_t type)
{
	switch (type) {
	case 1:
		return UNPLUG_NICS;
	case 2:
		return UNPLUG_DISKS;
	default:
		return UNPLUG_TYPES;
	}
}

struct unplug_decision unplug_decide(const struct unplug_inputs *in)
{
	struct unplug_decision d = { false, false };

	if (!in)
		return d;
	/* Reading the counter consumes it: children re-request every boot. */
	d.delete_value = in->value_present;
	if (in->force_present && in->force != 0)
		d.request = true;
	else if (!in->value_present)
		d.request = false;
	else if (in->value != 0 && !in->device_known)
		d.request = false;	/* no PV driver instance to take over: veto */
	else
		d.request = in->value != 0;
	return d;
}

/* Case-insensitive search of the 3-letter `word` in s[0..n). */
static bool unplug_contains3(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i + 3 <= n; i++)
		if (text_upper(s[i]) == word[0] && text_upper(s[i + 1]) == word[1] &&
		    text_upper(s[i + 2]) == word[2])
			return true;
	return false;
}

bool unplug_device_known(const char *names, size_t len, enum unplug_type type)
{
	const char *word = type == UNPLUG_DISKS ? "VBD" : "VIF";
	size_t start = 0, i;

	if (!names || type >= UNPLUG_TYPES)
		return false;
	for (i = 0; i <= len; i++) {
		if (i < len && names[i] != '\0')
			continue;
		if (i == start)		/* empty entry ends a multi-sz */
			break;
		if (unplug_contains3(names + start, i - start, word))
			return true;
		start = i + 1;
	}
	return false;
}

xen_status unplug_counter_update(bool present, uint32_t value, bool make, uint32_t *out)
{
	if (!out)
		return -XEN_EINVAL;
	if (make) {
		if (!present)
			value = 0;
		if (value == UINT32_MAX)
			return -XEN_ERANGE;
		*out = value + 1;
		return XEN_OK;
	}
	if (!present)
		return -XEN_ENOENT;
	if (value == 0)
		return -XEN_ERANGE;
	*out = value - 1;
	return XEN_OK;
}

uint16_t unplug_flags(enum unplug_type type, bool boot_emulated)
{
	switch (type) {
	case UNPLUG_DISKS:
		return boot_emulated ? UNPLUG_FLAG_AUX_IDE_DISKS
				     : UNPLUG_FLAG_IDE_DISKS | UNPLUG_FLAG_NVME_DISKS;
	case UNPLUG_NICS:
		return UNPLUG_FLAG_NICS;
	default:
		return 0;
	}
}

const char *unplug_flags_name(uint16_t flags)
{
	switch (flags) {
	case UNPLUG_FLAG_IDE_DISKS | UNPLUG_FLAG_NVME_DISKS:
		return "DISKS";
	case UNPLUG_FLAG_AUX_IDE_DISKS:
		return "AUX DISKS";
	case UNPLUG_FLAG_NICS:
		return "NICS";
	default:
		return "?";
	}
}

/* Magic, then the product/build handshake. Lock held. */
static xen_status unplug_preamble(uint16_t product, uint32_t build, struct unplug_report *rep)
{
	rep->magic = os_inw(UNPLUG_PORT_MAGIC);
	if (rep->magic == UNPLUG_MAGIC_BLACKLISTED) {
		rep->blacklisted = true;
		return XEN_OK;
	}
	if (rep->magic != UNPLUG_MAGIC)
		return -XEN_ENODEV;
	rep->protocol = os_inb(UNPLUG_PORT_VERSION);
	if (rep->protocol == 0)
		return XEN_OK;
	os_outw(UNPLUG_PORT_VERSION, product);
	os_outl(UNPLUG_PORT_MAGIC, build);
	/* The device model may refuse this product/build only now. */
	if (os_inw(UNPLUG_PORT_MAGIC) == UNPLUG_MAGIC_BLACKLISTED)
		rep->blacklisted = true;
	return XEN_OK;
}

/* Logged after the port sequence, outside the lock. */
static void unplug_log(const struct unplug_report *rep, xen_status st)
{
	unsigned i;

	if (st != XEN_OK) {
		log_printf(LOG_ERROR, "UNPLUG: NO PLATFORM DEVICE (MAGIC %04x)\n", rep->magic);
		return;
	}
	log_printf(LOG_INFO, "UNPLUG: PRE-AMBLE (DRIVERS %sBLACKLISTED)\n",
		   rep->blacklisted ? "" : "NOT ");
	for (i = 0; i < rep->writes; i++)
		log_printf(LOG_WARNING, "UNPLUG: %s\n", unplug_flags_name(rep->written[i]));
}

xen_status unplug_devices(const bool request[UNPLUG_TYPES], bool boot_emulated,
			  uint16_t product, uint32_t build, struct unplug_report *rep)
{
	struct unplug_report local;
	os_lock_state s;
	xen_status st;
	unsigned t;

	if (!request)
		return -XEN_EINVAL;
	if (!rep)
		rep = &local;
	__builtin_memset(rep, 0, sizeof(*rep));
	s = os_spin_lock(&unplug_lock);
	st = unplug_preamble(product, build, rep);
	if (st == XEN_OK) {
		for (t = 0; t < UNPLUG_TYPES; t++) {
			uint16_t flags = unplug_flags((enum unplug_type)t, boot_emulated);

			if (!request[t])
				continue;
			os_outw(UNPLUG_PORT_MAGIC, flags);
			rep->written[rep->writes++] = flags;
		}
	}
	os_spin_unlock(&unplug_lock, s);
	unplug_log(rep, st);
	return st;
}
