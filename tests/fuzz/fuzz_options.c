/*
 * libFuzzer harness for options_parse: the command line is untrusted input.
 * Beyond the sanitizers it checks the parser's promises: results within
 * their ranges, bounded and printable log output, and that the bytes after
 * the first NUL (or outside len) never matter.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned messages;

static void check_sink(void *ctx, const char *buf, size_t len)
{
	(void)ctx;
	if (len == 0 || len >= LOG_SLOT_SIZE)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((buf[i] < 0x20 || buf[i] >= 0x7f) && buf[i] != '\n')
			abort();	/* input bytes must not reach the log raw */
	messages++;
}

static void check_result(const struct options *o)
{
	if (o->watchdog_s != 0 && o->watchdog_s < OPTIONS_WATCHDOG_MIN)
		abort();
}

static bool same(const struct options *a, const struct options *b)
{
	return a->dbg_print == b->dbg_print && a->boot_emulated == b->boot_emulated &&
	       a->balloon == b->balloon && a->watchdog_s == b->watchdog_s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct options a, b;
	const void *nul;
	size_t cut;
	char *copy;

	if (!ready) {
		log_init();
		if (log_add_sink(check_sink, NULL, LOG_WARNING, NULL) != XEN_OK)
			abort();
		ready = true;
	}
	messages = 0;
	options_parse((const char *)data, size, &a);
	check_result(&a);
	if (messages > OPTIONS_MAX_WARNINGS)
		abort();

	/* Only the bytes before the first NUL count. */
	nul = memchr(data, 0, size);
	cut = nul ? (size_t)((const uint8_t *)nul - data) : size;
	copy = malloc(cut + 16);
	if (!copy)
		return 0;
	memcpy(copy, data, cut);
	memset(copy + cut, 0, 1);
	memset(copy + cut + 1, 'X', 15);	/* junk past the end must not be read */
	options_parse(copy, cut, &b);
	if (!same(&a, &b))
		abort();
	options_parse(copy, cut + 16, &b);
	if (!same(&a, &b))
		abort();
	free(copy);
	return 0;
}
