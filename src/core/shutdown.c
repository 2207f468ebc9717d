#include "shutdown.h"
#include "compiler.h"
#include "hypercall.h"
#include "log.h"

static const struct {
	const char *word;
	enum shutdown_action action;
} shutdown_words[] = {
	{ "suspend", SHUTDOWN_ACTION_SUSPEND },
	{ "poweroff", SHUTDOWN_ACTION_POWEROFF },
	{ "reboot", SHUTDOWN_ACTION_REBOOT },
	{ "halt", SHUTDOWN_ACTION_HALT },
};

enum shutdown_action shutdown_parse(const char *value, size_t len)
{
	size_t i;

	if (len == 0)
		return SHUTDOWN_ACTION_NONE;
	if (!value || len > SHUTDOWN_VALUE_MAX)
		return SHUTDOWN_ACTION_INVALID;
	for (i = 0; i < len; i++)
		if (value[i] < 0x21 || value[i] > 0x7e)
			return SHUTDOWN_ACTION_INVALID;
	for (i = 0; i < ARRAY_SIZE(shutdown_words); i++)
		if (__builtin_strlen(shutdown_words[i].word) == len &&
		    __builtin_memcmp(shutdown_words[i].word, value, len) == 0)
			return shutdown_words[i].action;
	return SHUTDOWN_ACTION_UNKNOWN;
}

const char *shutdown_action_name(enum shutdown_action action)
{
	static const char *const names[] = {
		"NONE", "SUSPEND", "POWEROFF", "REBOOT", "HALT", "UNKNOWN", "INVALID",
	};

	if ((unsigned)action >= ARRAY_SIZE(names))
		return "?";
	return names[action];
}

static xen_status shutdown_do_suspend(const struct shutdown_ops *ops)
{
	xen_status st;

	if (ops->suspend_trylock && !ops->suspend_trylock(ops->ctx))
		return -XEN_EAGAIN;
	/* The toolstack waits for the acknowledgement before it expects the
	 * domain to suspend. */
	st = ops->write(ops->ctx, SHUTDOWN_NODE, "");
	if (st == XEN_OK)
		st = ops->suspend(ops->ctx);
	if (ops->suspend_unlock)
		ops->suspend_unlock(ops->ctx);
	return st;
}

xen_status shutdown_handle(const struct shutdown_ops *ops, enum shutdown_action *seen)
{
	char buf[SHUTDOWN_VALUE_MAX];
	enum shutdown_action a;
	size_t len = 0;
	xen_status st;

	if (seen)
		*seen = SHUTDOWN_ACTION_NONE;
	if (!ops || !ops->read || !ops->write || !ops->suspend)
		return -XEN_EINVAL;
	st = ops->read(ops->ctx, SHUTDOWN_NODE, buf, sizeof(buf), &len);
	if (st == -XEN_ENOENT)
		return XEN_OK;
	if (st != XEN_OK)
		return st;
	a = len > sizeof(buf) ? SHUTDOWN_ACTION_INVALID : shutdown_parse(buf, len);
	if (seen)
		*seen = a;
	if (a != SHUTDOWN_ACTION_NONE)
		log_printf(a == SHUTDOWN_ACTION_INVALID ? LOG_WARNING : LOG_INFO,
			   "SHUTDOWN: %s (%u bytes)\n", shutdown_action_name(a), (unsigned)len);
	switch (a) {
	case SHUTDOWN_ACTION_SUSPEND:
		return shutdown_do_suspend(ops);
	case SHUTDOWN_ACTION_POWEROFF:
	case SHUTDOWN_ACTION_REBOOT:
	case SHUTDOWN_ACTION_HALT:
		if (ops->report && ops->report(ops->ctx, a))
			return ops->write(ops->ctx, SHUTDOWN_NODE, "");
		return XEN_OK;
	default:
		return XEN_OK;
	}
}

static xen_status shutdown_op(int cmd, unsigned reason)
{
	struct sched_shutdown s = { .reason = reason };
	return hypercall_status(hypercall_sched_op(cmd, &s));
}

xen_status shutdown_report_crash(void)
{
	return shutdown_op(SCHEDOP_shutdown_code, SHUTDOWN_crash);
}

xen_status shutdown_domain(unsigned reason)
{
	if (reason > SHUTDOWN_MAX || reason == SHUTDOWN_suspend)
		return -XEN_EINVAL;
	return shutdown_op(SCHEDOP_shutdown, reason);
}
