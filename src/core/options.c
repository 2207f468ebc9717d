/*
 * Start option parsing. The command line comes from the registry or the
 * loader: untrusted, possibly unterminated, possibly huge. It is scanned once,
 * left to right, and values are only ever read within [cmdline, cmdline+len).
 */
#include "compiler.h"
#include "log.h"
#include "options.h"
#include "text.h"

enum option_id { OPT_DBG_PRINT, OPT_BOOT_EMULATED, OPT_BALLOON, OPT_WATCHDOG, OPT_COUNT };

struct option_token {
	const char *p;
	size_t n;
};

#define OPTION_WORD(s) { s, sizeof(s) - 1 }

struct option_def {
	struct option_token key;	/* including '=' */
	struct option_token yes;	/* word for true; empty: a number */
	struct option_token no;		/* word for false */
};

static const struct option_def option_defs[OPT_COUNT] = {
	[OPT_DBG_PRINT] = { OPTION_WORD("XEN:DBG_PRINT="), OPTION_WORD("ON"), OPTION_WORD("OFF") },
	[OPT_BOOT_EMULATED] = { OPTION_WORD("XEN:BOOT_EMULATED="), OPTION_WORD("TRUE"),
				OPTION_WORD("FALSE") },
	[OPT_BALLOON] = { OPTION_WORD("XEN:BALLOON="), OPTION_WORD("ON"), OPTION_WORD("OFF") },
	[OPT_WATCHDOG] = { OPTION_WORD("XEN:WATCHDOG="), { NULL, 0 }, { NULL, 0 } },
};

struct option_parse {
	struct options *out;
	bool seen[OPT_COUNT];
	unsigned warnings;
};

void options_defaults(struct options *out)
{
	*out = (struct options){ .dbg_print = true, .boot_emulated = false, .balloon = true,
				 .watchdog_s = 0 };
}

static bool option_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool option_starts_with(struct option_token t, struct option_token word)
{
	return t.n >= word.n && __builtin_memcmp(t.p, word.p, word.n) == 0;
}

static bool option_token_is(struct option_token t, struct option_token word)
{
	return t.n == word.n && option_starts_with(t, word);
}

/* Log a warning about token text: printable ASCII only, at most 40 bytes. */
static void option_warn(struct option_parse *ps, const char *what, struct option_token t)
{
	char shown[48];
	size_t n = t.n < 40 ? t.n : 40;

	if (ps->warnings >= OPTIONS_MAX_WARNINGS)
		return;
	if (++ps->warnings == OPTIONS_MAX_WARNINGS) {
		log_printf(LOG_WARNING, "options: too many problems, not reporting more\n");
		return;
	}
	text_printable(shown, t.p, n);
	log_printf(LOG_WARNING, "options: %s: \"%s%s\"\n", what, shown, t.n > n ? "..." : "");
}

static int option_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/* strtoul(s, &end, 0) rules (optional '+', 0x hex, leading-0 octal), but the
 * whole value must be digits and fit in 32 bits (Windows' unsigned long). */
static bool option_parse_u32(struct option_token v, uint32_t *out)
{
	size_t i = 0;
	unsigned base = 10;
	uint64_t value = 0;

	if (i < v.n && v.p[i] == '+')
		i++;
	if (i < v.n && v.p[i] == '0') {
		base = 8;
		if (i + 1 < v.n && (v.p[i + 1] == 'x' || v.p[i + 1] == 'X')) {
			base = 16;
			i += 2;
		}
	}
	if (i == v.n)
		return false;
	for (; i < v.n; i++) {
		unsigned d = (unsigned)option_digit(v.p[i]);

		if (d >= base)
			return false;
		value = value * base + d;
		if (value > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)value;
	return true;
}

static void option_set_watchdog(struct option_parse *ps, struct option_token v,
				struct option_token tok)
{
	uint32_t s;

	if (!option_parse_u32(v, &s)) {
		option_warn(ps, "not a number of seconds (watchdog stays off)", tok);
		return;
	}
	if (s > 0 && s < OPTIONS_WATCHDOG_MIN) {
		option_warn(ps, "watchdog below the 10 s minimum, using 10", tok);
		s = OPTIONS_WATCHDOG_MIN;
	}
	ps->out->watchdog_s = s;
}

static void option_set(struct option_parse *ps, enum option_id id, struct option_token tok)
{
	const struct option_def *def = &option_defs[id];
	struct option_token v = { tok.p + def->key.n, tok.n - def->key.n };
	bool *flag;

	if (ps->seen[id]) {
		option_warn(ps, "repeated option ignored (the first one counts)", tok);
		return;
	}
	ps->seen[id] = true;
	if (!def->yes.n) {
		option_set_watchdog(ps, v, tok);
		return;
	}
	flag = id == OPT_DBG_PRINT ? &ps->out->dbg_print :
	       id == OPT_BOOT_EMULATED ? &ps->out->boot_emulated : &ps->out->balloon;
	if (option_token_is(v, def->yes))
		*flag = true;
	else if (option_token_is(v, def->no))
		*flag = false;
	else
		option_warn(ps, "bad value, default kept", tok);
}

static void option_token(struct option_parse *ps, struct option_token tok)
{
	static const struct option_token xen = OPTION_WORD("XEN:");

	for (unsigned id = 0; id < OPT_COUNT; id++) {
		if (option_starts_with(tok, option_defs[id].key)) {
			option_set(ps, (enum option_id)id, tok);
			return;
		}
	}
	if (option_starts_with(tok, xen))
		option_warn(ps, "unknown option ignored", tok);
}

void options_parse(const char *cmdline, size_t len, struct options *out)
{
	struct option_parse ps = { .out = out };
	size_t i = 0, start;

	options_defaults(out);
	if (!cmdline)
		return;
	while (i < len && cmdline[i] != '\0') {
		if (option_is_space(cmdline[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && cmdline[i] != '\0' && !option_is_space(cmdline[i]))
			i++;
		option_token(&ps, (struct option_token){ cmdline + start, i - start });
	}
}
