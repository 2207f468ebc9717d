#include "log.h"
#include "log_levels.h"

static const struct {
	const char *name;
	uint32_t bit;
} log_level_names[] = {
	{ "ERROR", LOG_ERROR },
	{ "WARNING", LOG_WARNING },
	{ "TRACE", LOG_TRACE },
	{ "INFO", LOG_INFO },
	{ "CRITICAL", LOG_CRITICAL },
};

/* The bit named by the n bytes at s, 0 if none. */
static uint32_t log_level_bit(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(log_level_names) / sizeof(log_level_names[0]); i++) {
		const char *name = log_level_names[i].name;

		if (__builtin_strlen(name) == n && __builtin_memcmp(name, s, n) == 0)
			return log_level_names[i].bit;
	}
	return 0;
}

uint32_t log_levels_parse(const char *names, size_t len, unsigned *unknown)
{
	uint32_t mask = 0;
	unsigned bad = 0;
	size_t i = 0;

	while (names && i < len && names[i] != '\0') {
		size_t start = i;
		uint32_t bit;

		while (i < len && names[i] != '\0')
			i++;
		bit = log_level_bit(names + start, i - start);
		if (bit)
			mask |= bit;
		else
			bad++;
		i++;	/* past the NUL */
	}
	if (unknown)
		*unknown = bad;
	return mask;
}
