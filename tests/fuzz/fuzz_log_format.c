/*
 * Differential harness for the log formatter: the input picks conversion
 * specs (flags, width, precision, length, conversion), their values and the
 * buffer size; log_format must produce exactly what the C library's
 * vsnprintf produces. Combinations the C standard leaves undefined are not
 * generated.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint64_t take64(struct input *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take(in);
	return v;
}

static void compare(size_t size, const char *fmt, ...)
{
	char ours[320], theirs[320];
	va_list a1, a2;
	size_t n;
	int m;

	memset(ours, 0x5a, sizeof(ours));
	memset(theirs, 0x5a, sizeof(theirs));
	va_start(a1, fmt);
	va_copy(a2, a1);
	n = log_format(ours, size, fmt, a1);
	m = vsnprintf(theirs, size, fmt, a2);
	va_end(a2);
	va_end(a1);
	if (m < 0 || n != (size_t)m || memcmp(ours, theirs, sizeof(ours)) != 0) {
		fprintf(stderr, "format \"%s\" size %zu: ours %zu \"%.*s\", libc %d \"%.*s\"\n", fmt,
			size, n, (int)(size ? size : 1), ours, m, (int)(size ? size : 1), theirs);
		abort();
	}
}

/* Build one spec into f and call compare with arguments of the right type. */
static void one_conversion(struct input *in)
{
	static const char convs[] = "diouxXcsp%";
	static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
	char f[64], str[24];
	size_t size = take(in) % 300, k = 0, slen;
	uint8_t flags = take(in), wsel = take(in), psel = take(in), lsel = take(in);
	char conv = convs[take(in) % (sizeof(convs) - 1)];
	bool integer = strchr("diouxX", conv) != NULL, sgn = conv == 'd' || conv == 'i';
	int width = (int)(take(in) % 64) - 32, prec = (int)(take(in) % 48) - 8;
	uint64_t v = take64(in);

	f[k++] = '<';
	f[k++] = '%';
	if (conv != '%') {
		if (flags & 1)
			f[k++] = '-';
		if ((flags & 2) && integer)
			f[k++] = '0';
		if ((flags & 4) && conv != 'p')
			f[k++] = '+';
		if ((flags & 8) && conv != 'p')
			f[k++] = ' ';
		if ((flags & 16) && strchr("oxX", conv))
			f[k++] = '#';
		if (wsel % 3 == 1)
			k += (size_t)snprintf(f + k, 8, "%d", width < 0 ? -width : width);
		else if (wsel % 3 == 2)
			f[k++] = '*';
		if (integer || conv == 's') {
			if (psel % 3 == 1)
				k += (size_t)snprintf(f + k, 8, ".%d", prec < 0 ? 0 : prec);
			else if (psel % 3 == 2)
				k += (size_t)snprintf(f + k, 8, ".*");
		}
		if (integer)
			k += (size_t)snprintf(f + k, 8, "%s", lengths[lsel % 8]);
	}
	f[k++] = conv;
	f[k++] = '>';
	f[k] = '\0';

	slen = take(in) % sizeof(str);
	for (size_t i = 0; i < slen; i++)
		str[i] = (char)(take(in) | 1);	/* no NUL inside */
	str[slen] = '\0';

	/* Pass '*' arguments first, then the value, as the spec orders them. */
	int star_w = wsel % 3 == 2, star_p = (integer || conv == 's') && psel % 3 == 2;
	const char *lm = integer ? lengths[lsel % 8] : "";

#define CALL(val)                                                                              \
	do {                                                                                   \
		if (star_w && star_p)                                                          \
			compare(size, f, width, prec, val);                                    \
		else if (star_w)                                                               \
			compare(size, f, width, val);                                          \
		else if (star_p)                                                               \
			compare(size, f, prec, val);                                           \
		else                                                                           \
			compare(size, f, val);                                                 \
	} while (0)

#define CALL_INT(stype, utype)                                                                 \
	do {                                                                                   \
		if (sgn)                                                                       \
			CALL((stype)v);                                                        \
		else                                                                           \
			CALL((utype)v);                                                        \
	} while (0)

	if (conv == '%')
		compare(size, f);
	else if (conv == 'c')
		CALL((int)(uint8_t)(v | 1));
	else if (conv == 's')
		CALL(str);
	else if (conv == 'p')
		CALL((void *)(uintptr_t)v);
	else if (!strcmp(lm, "l"))
		CALL_INT(long, unsigned long);
	else if (!strcmp(lm, "ll"))
		CALL_INT(long long, unsigned long long);
	else if (!strcmp(lm, "z") || !strcmp(lm, "t"))
		CALL_INT(ptrdiff_t, size_t);
	else if (!strcmp(lm, "j"))
		CALL_INT(intmax_t, uintmax_t);
	else
		CALL_INT(int, unsigned);
#undef CALL_INT
#undef CALL
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	for (int i = 0; i < 16 && in.n; i++)
		one_conversion(&in);
	return 0;
}
