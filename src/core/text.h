/*
 * Small text helpers for the core (which has no libc): bounded copies of
 * names, and making untrusted bytes safe to log. Header-only, any context.
 */
#ifndef XB_TEXT_H
#define XB_TEXT_H

#include <stddef.h>

/* Copy the string src (NULL reads as "") into dst[size], cut at size - 1
 * bytes and always terminated; size must be at least 1. Returns the length
 * copied. */
static inline size_t text_copy(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src && src[i] && i < size - 1; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return i;
}

/* Copy n bytes of untrusted text into dst[n + 1] for a log line: printable
 * ASCII is kept, every other byte becomes '?'; dst is terminated. */
static inline void text_printable(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[n] = '\0';
}

/* ASCII upper case; other bytes unchanged. */
static inline char text_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

#endif /* XB_TEXT_H */
