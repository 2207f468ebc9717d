/* log_levels_parse on untrusted registry multi-strings: only the five level
 * bits may come out, and each unknown name is counted at most once per
 * string in the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "log_levels.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint32_t all = LOG_ERROR | LOG_WARNING | LOG_TRACE | LOG_INFO | LOG_CRITICAL;
	/* A private copy: the parser must not read past size. */
	char *copy = malloc(size ? size : 1);
	unsigned unknown = 0, strings = 1;
	uint32_t mask;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	mask = log_levels_parse(copy, size, &unknown);
	for (size_t i = 0; i < size; i++)
		strings += copy[i] == '\0';
	if ((mask & ~all) || unknown > strings)
		abort();
	free(copy);
	return 0;
}
