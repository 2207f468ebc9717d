/*
 * The log formatter: a small vsnprintf without libc, safe to run in any
 * context. Output is bounded by the caller's buffer; %n is not supported
 * (copied literally), so a format never writes anywhere but buf.
 */
#include "log.h"

/* Widths and precisions above this are clamped: they only come from our own
 * format strings, but a '*' argument must not make us loop for ever. */
#define FMT_MAX_WIDTH 4096

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;		/* what the whole output would take */
};

struct fmt_spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec;		/* -1: none */
	char length;		/* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 't', 'j' */
	char conv;
};

static void fmt_put(struct fmt_out *o, char c)
{
	if (o->size && o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_repeat(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	/* Never read past the precision: the string need not be terminated. */
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	if (!sp->left)
		fmt_repeat(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		fmt_put(o, s[i]);
	if (sp->left)
		fmt_repeat(o, ' ', sp->width - n);
}

static void fmt_number(struct fmt_out *o, const struct fmt_spec *sp, unsigned long long v,
		       bool negative)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digits = sp->conv == 'X' ? upper : lower;
	unsigned base = sp->conv == 'o' ? 8 : (sp->conv == 'x' || sp->conv == 'X') ? 16 : 10;
	char tmp[24];		/* 22 octal digits hold 64 bits */
	char prefix[2];
	int nd = 0, np = 0, prec = sp->prec, body, pad;

	while (v) {
		tmp[nd++] = digits[v % base];
		v /= base;
	}
	if (nd == 0 && prec < 0)
		tmp[nd++] = '0';	/* zero prints as "0" unless precision is 0 */
	if (negative)
		prefix[np++] = '-';
	else if (sp->plus && (sp->conv == 'd' || sp->conv == 'i'))
		prefix[np++] = '+';
	else if (sp->space && (sp->conv == 'd' || sp->conv == 'i'))
		prefix[np++] = ' ';
	if (sp->alt && base == 16 && nd > 0 && !(nd == 1 && tmp[0] == '0')) {
		prefix[np++] = '0';
		prefix[np++] = sp->conv;
	}
	if (sp->alt && base == 8 && (nd == 0 || tmp[nd - 1] != '0') && prec <= nd)
		prec = nd + 1;	/* '#' with %o: a leading 0 */
	body = prec > nd ? prec : nd;
	pad = sp->width - body - np;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		fmt_repeat(o, ' ', pad);
	for (int i = 0; i < np; i++)
		fmt_put(o, prefix[i]);
	if (!sp->left && sp->zero && sp->prec < 0)
		fmt_repeat(o, '0', pad);
	fmt_repeat(o, '0', body - nd);
	while (nd > 0)
		fmt_put(o, tmp[--nd]);
	if (sp->left)
		fmt_repeat(o, ' ', pad);
}

static unsigned long long fmt_unsigned_arg(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 't':
		return (size_t)va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fmt_signed_arg(const struct fmt_spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
	case 't':
		return va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* A decimal field of a conversion spec, clamped to FMT_MAX_WIDTH. */
static int fmt_decimal(const char **p)
{
	int n = 0;

	while (**p >= '0' && **p <= '9') {
		if (n < FMT_MAX_WIDTH)
			n = n * 10 + (**p - '0');
		(*p)++;
	}
	return n < FMT_MAX_WIDTH ? n : FMT_MAX_WIDTH;
}

static int fmt_star(va_list *ap, bool *negative)
{
	int n = va_arg(*ap, int);

	*negative = n < 0;
	if (n < -FMT_MAX_WIDTH || n > FMT_MAX_WIDTH)
		return FMT_MAX_WIDTH;	/* also keeps INT_MIN from being negated */
	return n < 0 ? -n : n;
}

/* Parse flags, width, precision and length after a '%'; *p ends on the
 * conversion character. */
static void fmt_parse(const char **p, struct fmt_spec *sp, va_list *ap)
{
	bool neg;

	*sp = (struct fmt_spec){ .prec = -1 };
	for (;; (*p)++) {
		if (**p == '-')
			sp->left = true;
		else if (**p == '0')
			sp->zero = true;
		else if (**p == '+')
			sp->plus = true;
		else if (**p == ' ')
			sp->space = true;
		else if (**p == '#')
			sp->alt = true;
		else
			break;
	}
	if (**p == '*') {
		(*p)++;
		sp->width = fmt_star(ap, &neg);
		if (neg)
			sp->left = true;	/* a negative width means '-' */
	} else {
		sp->width = fmt_decimal(p);
	}
	if (**p == '.') {
		(*p)++;
		if (**p == '*') {
			(*p)++;
			sp->prec = fmt_star(ap, &neg);
			if (neg)
				sp->prec = -1;	/* a negative precision is none */
		} else {
			sp->prec = fmt_decimal(p);
		}
	}
	if (**p == 'h' || **p == 'l') {
		sp->length = **p;
		(*p)++;
		if (**p == sp->length) {
			sp->length = sp->length == 'h' ? 'H' : 'L';
			(*p)++;
		}
	} else if (**p == 'z' || **p == 't' || **p == 'j') {
		sp->length = **p;
		(*p)++;
	}
	sp->conv = **p;
}

/* One conversion; false if it is unknown (the caller copies it literally). */
static bool fmt_convert(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
	long long sv;
	const void *ptr;
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		sv = fmt_signed_arg(sp, ap);
		fmt_number(o, sp, sv < 0 ? 0ULL - (unsigned long long)sv : (unsigned long long)sv,
			   sv < 0);
		return true;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		fmt_number(o, sp, fmt_unsigned_arg(sp, ap), false);
		return true;
	case 'p':
		ptr = va_arg(*ap, const void *);
		if (!ptr) {
			sp->prec = -1;
			fmt_string(o, sp, "(nil)");
			return true;
		}
		sp->conv = 'x';
		sp->alt = true;
		fmt_number(o, sp, (uintptr_t)ptr, false);
		return true;
	case 's':
		fmt_string(o, sp, va_arg(*ap, const char *));
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		if (!sp->left)
			fmt_repeat(o, ' ', sp->width - 1);
		fmt_put(o, c);
		if (sp->left)
			fmt_repeat(o, ' ', sp->width - 1);
		return true;
	case '%':
		fmt_put(o, '%');
		return true;
	default:
		return false;
	}
}

size_t log_format(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .buf = buf, .size = size };
	struct fmt_spec sp;
	va_list aq;
	const char *p, *start;

	va_copy(aq, ap);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			fmt_put(&o, *p);
			continue;
		}
		start = p++;
		fmt_parse(&p, &sp, &aq);
		if (!fmt_convert(&o, &sp, &aq)) {
			/* Unknown or cut off: copy it as written. */
			while (start < p)
				fmt_put(&o, *start++);
			if (!*p)
				break;
			fmt_put(&o, *p);
		}
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

size_t log_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	n = log_format(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
