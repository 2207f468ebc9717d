/* Formatted output for the test kernel: a small vsnprintf and port 0xE9. */
#include "guest.h"
#include "os.h"

#define DEBUGCON_PORT 0xe9

struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void sink_put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_num(struct sink *s, unsigned long long v, unsigned base, bool neg,
		    unsigned width, char pad)
{
	char tmp[24];
	unsigned n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		sink_put(s, pad);
		width--;
	}
	while (n)
		sink_put(s, tmp[--n]);
}

static size_t format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		unsigned width = 0, longs = 0;
		char pad = ' ';
		bool size_t_arg = false;
		unsigned long long u;
		long long v;

		if (*fmt != '%') {
			sink_put(s, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		if (*fmt == 'z') {
			size_t_arg = true;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			v = longs >= 2 ? va_arg(ap, long long) :
			    longs == 1 || size_t_arg ? va_arg(ap, long) : va_arg(ap, int);
			put_num(s, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v,
				10, v < 0, width, pad);
			break;
		case 'u':
		case 'x':
			u = longs >= 2 ? va_arg(ap, unsigned long long) :
			    longs == 1 || size_t_arg ? va_arg(ap, unsigned long) :
						       va_arg(ap, unsigned);
			put_num(s, u, *fmt == 'u' ? 10 : 16, false, width, pad);
			break;
		case 'p':
			put_num(s, (uintptr_t)va_arg(ap, void *), 16, false, 0, ' ');
			break;
		case 'c':
			sink_put(s, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			if (!str)
				str = "(null)";
			while (*str)
				sink_put(s, *str++);
			break;
		}
		case '%':
			sink_put(s, '%');
			break;
		default:
			sink_put(s, '?');
			if (!*fmt)
				fmt--;
			break;
		}
	}
	if (s->size)
		s->buf[s->len < s->size ? s->len : s->size - 1] = 0;
	return s->len;
}

static size_t vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

	return format(&s, fmt, ap);
}

size_t guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	size_t n = vformat(buf, size, fmt, ap);

	return n < size ? n : size ? size - 1 : 0;
}

size_t guest_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = vformat(buf, size, fmt, ap);
	va_end(ap);
	return n < size ? n : size ? size - 1 : 0;
}

void guest_vprintf(const char *fmt, va_list ap)
{
	char line[512];
	size_t n = vformat(line, sizeof(line), fmt, ap);

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	os_outsb(DEBUGCON_PORT, line, n);
}

void guest_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	guest_vprintf(fmt, ap);
	va_end(ap);
}
