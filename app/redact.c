/*
 * redact.c: replace personal data (identity codes, phone numbers, e-mail
 * addresses, IBANs, street addresses) in a citizen's UTF-8 text with
 * placeholders.  Pure string code with hand-written scanners instead of
 * regular expressions: a scanner starts only where a word or number starts
 * and never backtracks, so the work stays linear in the input.
 *
 * A "letter" here is an ASCII letter or a two-byte Latin letter (U+00C0 to
 * U+017F: ä ö å é š ž ...), so "Äijä" is one word and an emoji or a curly
 * quote is a boundary.  Scanners stop at the first byte that does not fit,
 * NUL included, and consume whole characters only.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/*
 * Endings of street names.  These are part of the recogniser's grammar,
 * not content: a word ending in one of them and followed by a house number
 * is taken to be a street address.  Lower case; matching folds case.
 */
static const char *const street_suffixes[] = {
    /* Finnish */
    "katu",
    "tie",
    "kuja",
    "polku",
    "puistikko",
    "väylä",
    "raitti",
    "rinne",
    "kaari",
    "ranta",
    "tori",
    "aukio",
    "esplanadi",
    "bulevardi",
    /* Swedish */
    "gatan",
    "vägen",
    "gränd",
    "stigen",
    "esplanaden",
    "torget",
    "allén",
    "backen",
    /* English */
    "street",
    "road",
    "avenue",
};

/* Words that introduce a flat number: "as 3", "as. 3", "lgh 1102". */
static const char *const flat_words[] = {
    "as",
    "as.",
    "asunto",
    "lgh",
    "apt",
};

/*
 * A short ending standing alone ("tie 5", "tori 2") is an ordinary word
 * followed by a number; a long one standing alone is a real street name
 * ("Norra Esplanaden 8", "Allén 3").  Bytes, so "allén" counts as 6.
 */
#define STREET_BARE_MIN 6

#define HETU_LEN      11
#define PHONE_MIN     7  /* digits; 116 117 is a service number */
#define PHONE_MAX     15 /* digits; E.164 maximum */
#define IBAN_BBAN_MIN 10
#define IBAN_BBAN_MAX 30
#define HOUSE_MAX     4 /* digits in a house or flat number */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

typedef size_t (*charclass)(const unsigned char *);

/* The recognisers; each returns the bytes it matched at s[i], or 0. */
static size_t email_match(const unsigned char *, size_t);
static size_t hetu_match(const unsigned char *, size_t);
static size_t iban_match(const unsigned char *, size_t);
static size_t phone_match(const unsigned char *, size_t);
static size_t address_match(const unsigned char *, size_t);

/*
 * Tried in this order at every character: an e-mail address may contain
 * anything else, and an identity code must win over a phone number.
 */
static const struct redactor {
	size_t (*match)(const unsigned char *, size_t);
	const char *placeholder;
	unsigned kind;
} redactors[] = {
    {email_match, "[email]", REDACT_EMAIL},
    {hetu_match, "[hetu]", REDACT_HETU},
    {iban_match, "[iban]", REDACT_IBAN},
    {phone_match, "[phone]", REDACT_PHONE},
    {address_match, "[address]", REDACT_ADDRESS},
};

/* Own classifiers: <ctype.h> would follow the locale for bytes >= 0x80. */
static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
is_alpha(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static size_t
letter_len(const unsigned char *p)
{
	if (is_alpha(p[0]))
		return (1);
	if (p[0] >= 0xc3 && p[0] <= 0xc5 && (p[1] & 0xc0) == 0x80)
		return (2);
	return (0);
}

static size_t
digit_len(const unsigned char *p)
{
	return (is_digit(p[0]) ? 1 : 0);
}

/* A character of an e-mail local part. */
static size_t
local_len(const unsigned char *p)
{
	if (is_digit(p[0]) || (p[0] != '\0' && strchr("._%+-", p[0]) != NULL))
		return (1);
	return (letter_len(p));
}

/* A character of a domain label. */
static size_t
label_len(const unsigned char *p)
{
	if (is_digit(p[0]) || p[0] == '-')
		return (1);
	return (letter_len(p));
}

static size_t
alnum_ascii_len(const unsigned char *p)
{
	return (is_digit(p[0]) || is_alpha(p[0]));
}

/* Bytes in the run of characters of one class starting at p. */
static size_t
span(const unsigned char *p, charclass cls)
{
	size_t i = 0, n;

	while ((n = cls(p + i)) > 0)
		i += n;
	return (i);
}

static int
prev_letter(const unsigned char *s, size_t i)
{
	if (i == 0)
		return (0);
	if (is_alpha(s[i - 1]))
		return (1);
	return (i >= 2 && letter_len(s + i - 2) == 2);
}

/* Whether s[i] continues an alphanumeric run rather than starting one. */
static int
prev_alnum(const unsigned char *s, size_t i)
{
	return ((i > 0 && is_digit(s[i - 1])) || prev_letter(s, i));
}

static int
next_alnum(const unsigned char *p)
{
	return (is_digit(p[0]) || letter_len(p) > 0);
}

/* Length of the UTF-8 character at p; 1 for a stray or truncated byte. */
static size_t
char_len(const unsigned char *p)
{
	size_t n, k;

	if (p[0] < 0xc2)
		n = 1;
	else if (p[0] < 0xe0)
		n = 2;
	else if (p[0] < 0xf0)
		n = 3;
	else
		n = p[0] < 0xf5 ? 4 : 1;
	for (k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return (1);
	return (n);
}

/* Lower case of byte k of p, folding ASCII and Latin-1 (Ä -> ä, É -> é). */
static int
fold(const unsigned char *p, size_t k)
{
	if (p[k] >= 'A' && p[k] <= 'Z')
		return (p[k] + ('a' - 'A'));
	if (k > 0 && p[k - 1] == 0xc3 && p[k] >= 0x80 && p[k] <= 0x9e &&
	    p[k] != 0x97)
		return (p[k] + 0x20);
	return (p[k]);
}

/* The year of the century a hetu's century sign gives, or -1. */
static int
hetu_century(int c)
{
	static const char signs[] = "+-UVWXYABCDEF";
	const char *at;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	if (c == '\0' || (at = strchr(signs, c)) == NULL)
		return (-1);
	return (at == signs ? 1800 : at < signs + 7 ? 1900 : 2000);
}

/* Whether the DDMMYY at p is a real day in the given century. */
static int
hetu_date(const unsigned char *p, int century)
{
	static const int mdays[] = {
	    31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int day, month, year, leap;

	day = (p[0] - '0') * 10 + (p[1] - '0');
	month = (p[2] - '0') * 10 + (p[3] - '0');
	year = century + (p[4] - '0') * 10 + (p[5] - '0');
	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return (0);
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return (month != 2 || day < 29 || leap);
}

/*
 * DDMMYY, century sign, NNN, check character.  The check character is not
 * verified: a mistyped code is still somebody's personal data.
 */
static size_t
hetu_match(const unsigned char *s, size_t i)
{
	const unsigned char *p = s + i;
	int k, century;

	if (prev_alnum(s, i))
		return (0);
	/* Check in order so that a short string is never read past NUL. */
	for (k = 0; k < 6; k++)
		if (!is_digit(p[k]))
			return (0);
	if ((century = hetu_century(p[6])) < 0)
		return (0);
	for (k = 7; k < 10; k++)
		if (!is_digit(p[k]))
			return (0);
	if (alnum_ascii_len(p + 10) == 0 || next_alnum(p + HETU_LEN))
		return (0);
	return (hetu_date(p, century) ? HETU_LEN : 0);
}

/* "218" or "(06)": a run of digits, or one in parentheses (area code). */
static size_t
phone_group(const unsigned char *p, size_t *digits)
{
	size_t n;

	if (p[0] != '(') {
		*digits = span(p, digit_len);
		return (*digits);
	}
	n = span(p + 1, digit_len);
	if (n == 0 || p[n + 1] != ')')
		return (0);
	*digits = n;
	return (n + 2);
}

/* The next group after a single space or hyphen, or right after ")". */
static size_t
phone_next(const unsigned char *p, size_t *digits)
{
	size_t sep, n;

	sep = (p[0] == ' ' || p[0] == '-');
	if (!sep && p[-1] != ')')
		return (0);
	n = phone_group(p + sep, digits);
	return (n > 0 ? sep + n : 0);
}

/*
 * Starts with 0, "(0" or "+", as Finnish and international numbers do;
 * years, times, dates and prices do not, and short service numbers have
 * too few digits.  Groups past PHONE_MAX digits are left out, so two
 * numbers in a row become two matches.
 */
static size_t
phone_match(const unsigned char *s, size_t i)
{
	const unsigned char *p = s + i;
	size_t at, n, digits, total;

	if (prev_alnum(s, i) || (i > 0 && s[i - 1] == '+'))
		return (0);
	at = (p[0] == '+');
	if (!at && p[0] != '0' && !(p[0] == '(' && p[1] == '0'))
		return (0);
	if ((n = phone_group(p + at, &total)) == 0)
		return (0);
	at += n;
	while ((n = phone_next(p + at, &digits)) > 0 &&
	    total + digits <= PHONE_MAX) {
		at += n;
		total += digits;
	}
	if (total < PHONE_MIN || total > PHONE_MAX || next_alnum(p + at))
		return (0);
	return (at);
}

/* Dot-separated labels, at least two; a sentence's final dot stays out. */
static size_t
email_domain(const unsigned char *p)
{
	size_t i = 0, end = 0, n, dots = 0;

	while ((n = span(p + i, label_len)) > 0) {
		i += n;
		end = i;
		if (p[i] != '.' || label_len(p + i + 1) == 0)
			break;
		i++;
		dots++;
	}
	return (dots > 0 ? end : 0);
}

static size_t
email_match(const unsigned char *s, size_t i)
{
	size_t local, domain;

	if (i > 0 && (local_len(s + i - 1) == 1 || prev_letter(s, i)))
		return (0);
	local = span(s + i, local_len);
	if (local == 0 || s[i + local] != '@')
		return (0);
	domain = email_domain(s + i + local + 1);
	return (domain > 0 ? local + 1 + domain : 0);
}

static int
iban_has_digit(const unsigned char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (is_digit(p[k]))
			return (1);
	return (0);
}

/*
 * The account part: one run ("12345600000785") or groups of four with a
 * shorter last one ("1234 5600 0007 85").  After the first group (a bank
 * code may be letters: "WEST", "ABNA") a group needs a digit, so the word
 * after the IBAN is not swallowed.  Returns bytes, 0 if it is no IBAN.
 */
static size_t
iban_groups(const unsigned char *p)
{
	size_t i = 0, end = 0, total = 0, g;

	for (;;) {
		g = span(p + i, alnum_ascii_len);
		if (g == 0 || next_alnum(p + i + g) ||
		    total + g > IBAN_BBAN_MAX ||
		    (total > 0 && (g > 4 || !iban_has_digit(p + i, g))))
			break;
		total += g;
		end = i + g;
		if (g != 4 || p[end] != ' ')
			break;
		i = end + 1;
	}
	return (total >= IBAN_BBAN_MIN ? end : 0);
}

/* Country code, check digits, account part; case does not matter. */
static size_t
iban_match(const unsigned char *s, size_t i)
{
	const unsigned char *p = s + i;
	size_t start, n;

	if (prev_alnum(s, i) || !is_alpha(p[0]) || !is_alpha(p[1]) ||
	    !is_digit(p[2]) || !is_digit(p[3]))
		return (0);
	start = (p[4] == ' ') ? 5 : 4;
	n = iban_groups(p + start);
	return (n > 0 ? start + n : 0);
}

/* Whether the word p[0..len) ends in a street suffix, case folded. */
static int
street_suffix(const unsigned char *p, size_t len)
{
	size_t j, k, slen;

	for (j = 0; j < NELEM(street_suffixes); j++) {
		slen = strlen(street_suffixes[j]);
		if (slen > len || (slen == len && slen < STREET_BARE_MIN))
			continue;
		for (k = 0; k < slen; k++)
			if (fold(p, len - slen + k) !=
			    (unsigned char)street_suffixes[j][k])
				break;
		if (k == slen)
			return (1);
	}
	return (0);
}

/* Letters, with inner hyphens: "Itä-Hakkilankatu". */
static size_t
street_word(const unsigned char *p)
{
	size_t i = 0, n;

	for (;;) {
		if ((n = letter_len(p + i)) > 0)
			i += n;
		else if (i > 0 && p[i] == '-' && letter_len(p + i + 1) > 0)
			i++;
		else
			return (i);
	}
}

/* 1 to HOUSE_MAX digits, or 0. */
static size_t
number_len(const unsigned char *p)
{
	size_t n;

	n = span(p, digit_len);
	return (n <= HOUSE_MAX ? n : 0);
}

/*
 * Staircase and flat after a house number: " B 5", " b5", " A 10",
 * " as 3", " lgh 1102", or a lone capital staircase letter (" C"); a lone
 * small letter is more likely a word (Swedish "i").  Returns bytes or 0.
 */
static size_t
flat_part(const unsigned char *p)
{
	size_t j, k, n, len;

	if (p[0] != ' ')
		return (0);
	for (j = 0; j < NELEM(flat_words); j++) {
		len = strlen(flat_words[j]);
		for (k = 0; k < len && fold(p + 1, k) == flat_words[j][k]; k++)
			;
		if (k < len)
			continue;
		k = 1 + len + (p[1 + len] == ' ');
		if ((n = number_len(p + k)) > 0 && !next_alnum(p + k + n))
			return (k + n);
	}
	if (!is_alpha(p[1]))
		return (0);
	k = (p[2] == ' ') ? 3 : 2;
	if ((n = number_len(p + k)) > 0 && !next_alnum(p + k + n))
		return (k + n);
	return ((p[1] <= 'Z' && !next_alnum(p + 2)) ? 2 : 0);
}

/*
 * "12", "12-14", then an optional staircase and flat; or "12B" (staircase
 * written on the number), then an optional flat number: "12B 5".
 */
static size_t
house_number(const unsigned char *p)
{
	size_t i, n;

	if ((i = number_len(p)) == 0)
		return (0);
	if (is_alpha(p[i]) && !next_alnum(p + i + 1)) {
		i++;
		if (p[i] == ' ' && (n = number_len(p + i + 1)) > 0 &&
		    !next_alnum(p + i + 1 + n))
			return (i + 1 + n);
		return (i);
	}
	if (p[i] == '-' && (n = number_len(p + i + 1)) > 0)
		i += 1 + n;
	if (next_alnum(p + i))
		return (0);
	return (i + flat_part(p + i));
}

/* A street word and a house number: "Kauppapuistikko 12 B 5". */
static size_t
address_match(const unsigned char *s, size_t i)
{
	size_t word, num;

	if (prev_alnum(s, i) || (i > 0 && s[i - 1] == '-'))
		return (0);
	word = street_word(s + i);
	if (word == 0 || s[i + word] != ' ' || !street_suffix(s + i, word))
		return (0);
	num = house_number(s + i + word + 1);
	return (num > 0 ? word + 1 + num : 0);
}

/*
 * The first recogniser that matches at s[i], or NULL; *in gets the bytes
 * it matched, or those of the character to copy.
 */
static const struct redactor *
redact_match(const unsigned char *s, size_t i, size_t *in)
{
	size_t j;

	for (j = 0; j < NELEM(redactors); j++)
		if ((*in = redactors[j].match(s, i)) > 0)
			return (&redactors[j]);
	*in = char_len(s + i);
	return (NULL);
}

/*
 * One pass over s.  With out NULL it only measures, so that redact_text
 * can allocate exactly what the second pass writes, whatever the lengths
 * of the placeholders.  Returns the output length.
 */
static size_t
redact_scan(const unsigned char *s, char *out, unsigned *kinds)
{
	const struct redactor *r;
	const char *from;
	size_t i = 0, o = 0, in, len;

	while (s[i] != '\0') {
		if ((r = redact_match(s, i, &in)) != NULL) {
			from = r->placeholder;
			len = strlen(from);
			*kinds |= r->kind;
		} else {
			from = (const char *)s + i;
			len = in;
		}
		if (out != NULL)
			memcpy(out + o, from, len);
		o += len;
		i += in;
	}
	return (o);
}

char *
redact_text(const char *text, unsigned *found)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned kinds = 0;
	size_t len;
	char *out;

	if (found != NULL)
		*found = 0;
	len = redact_scan(s, NULL, &kinds);
	if ((out = malloc(len + 1)) == NULL)
		return (NULL);
	kinds = 0;
	out[redact_scan(s, out, &kinds)] = '\0';
	if (found != NULL)
		*found = kinds;
	return (out);
}
