/*
 * utf8.c: UTF-8 helpers.  The contract counts message length in characters,
 * not bytes, and rejects invalid UTF-8 before anything else looks at it, so
 * the rest of the service may assume well-formed input.
 */
#include <ctype.h>
#include <string.h>

#include "utf8.h"

/* Decode one code point at s[*i]; returns 0 and advances *i, or -1. */
int
utf8_decode(const char *s, size_t len, size_t *i, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t left = len - *i, n, k;
	uint32_t c;

	if (left == 0)
		return -1;
	if (p[0] < 0x80) {
		*cp = p[0];
		*i += 1;
		return 0;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else
		return -1;
	if (left < n)
		return -1;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (p[k] & 0x3f);
	}
	/* Reject overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && c < 0x800) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*i += n;
	return 0;
}

size_t
utf8_encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

int
utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t c;

	while (i < len) {
		if (utf8_decode(s, len, &i, &c) == -1 || c == 0)
			return 0;
	}
	return 1;
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t i = 0, n = 0;
	uint32_t c;

	while (i < len && utf8_decode(s, len, &i, &c) == 0)
		n++;
	return n;
}

/* Latin-1 Supplement and Latin Extended-A cover fi, sv and en text. */
uint32_t
utf8_lower(uint32_t c)
{
	if (c < 0x80)
		return (uint32_t)tolower((int)c);
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 0x20;
	if (c >= 0x100 && c <= 0x17f && (c & 1) == 0 && c != 0x130 &&
	    c != 0x138)
		return c + 1;
	return c;
}

int
utf8_is_letter(uint32_t c)
{
	if (c < 0x80)
		return isalnum((int)c);
	if (c >= 0xc0 && c <= 0x24f)
		return c != 0xd7 && c != 0xf7;
	return 0;
}

/* Trims ASCII and Unicode no-break white space in place. */
char *
utf8_trim(char *s)
{
	size_t len;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
	    ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0))
		s += ((unsigned char)s[0] == 0xc2) ? 2 : 1;
	len = strlen(s);
	for (;;) {
		if (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
			len--;
		else if (len > 1 && (unsigned char)s[len - 2] == 0xc2 &&
		    (unsigned char)s[len - 1] == 0xa0)
			len -= 2;
		else
			break;
	}
	s[len] = '\0';
	return s;
}
