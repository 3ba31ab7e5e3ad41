/*
 * lex.c: tokenisation and lemmatisation.  The same function produces the
 * terms of the knowledge base (when it is indexed) and of a citizen's
 * message, so both sides always agree on what a word is.  Finnish needs
 * real morphology: Snowball neither splits compounds nor undoes consonant
 * gradation (hammaslääkäriajan -> hammas + lääkäri + aika), so libvoikko
 * gives base forms and compound parts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvoikko/voikko.h>

#include "lex.h"
#include "utf8.h"

/*
 * libvoikko takes some 20 µs a word and a turn asks about the same words
 * several times (red flags, search, language): the readings of a word are
 * kept in a small direct-mapped cache, an entry replaced on collision.
 */
#define LEX_CACHE 4096

struct lex_reading {
	char word[LEX_MAXWORD];
	char *bases;      /* base forms, or the word itself */
	char *allparts;   /* the compound parts of every reading */
	char *firstparts; /* the parts of the first compound reading */
};

struct lex {
	struct VoikkoHandle *voikko;
	struct lex_reading cache[LEX_CACHE];
};

struct termbuf {
	char *buf;
	size_t len, cap;
	int failed;
};

static void term_add(struct termbuf *, const char *, size_t);
static void fi_add_analyses(
    struct lex *, const char *, struct termbuf *, struct termbuf *);
static int fi_add_parts(const char *, struct termbuf *);
static void add_words(struct termbuf *, const char *, size_t);
static char *termbuf_done(struct termbuf *);

struct lex *
lex_open(char *err, size_t errlen)
{
	struct lex *lx;
	const char *verr = NULL;

	if ((lx = calloc(1, sizeof(*lx))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	lx->voikko = voikkoInit(&verr, "fi", NULL);
	if (lx->voikko == NULL) {
		snprintf(err, errlen, "libvoikko: %s (is voikko-fi installed?)",
		    verr ? verr : "unknown error");
		free(lx);
		return NULL;
	}
	return lx;
}

void
lex_close(struct lex *lx)
{
	size_t i;

	if (lx == NULL)
		return;
	for (i = 0; i < LEX_CACHE; i++) {
		free(lx->cache[i].bases);
		free(lx->cache[i].allparts);
		free(lx->cache[i].firstparts);
	}
	voikkoTerminate(lx->voikko);
	free(lx);
}

/*
 * Splits text into lower-case words of letters and digits.  Apostrophes
 * inside a word are dropped ("isn't" -> "isnt") because citizens type both.
 */
void
lex_tokenize(const char *text, struct lex_tokens *t)
{
	size_t i = 0, len = strlen(text), wl = 0;
	uint32_t c;
	char enc[4], *w;

	t->n = 0;
	while (t->n < LEX_MAXTOKENS) {
		w = t->word[t->n];
		if (i >= len)
			c = ' ';
		else if (utf8_decode(text, len, &i, &c) == -1) {
			i++; /* not reached for validated input */
			c = ' ';
		}
		if (utf8_is_letter(c)) {
			size_t k = utf8_encode(utf8_lower(c), enc);
			if (wl + k < LEX_MAXWORD) {
				memcpy(w + wl, enc, k);
				wl += k;
			}
		} else if ((c == '\'' || c == 0x2019) && wl > 0) {
			/* skip */
		} else if (wl > 0) {
			w[wl] = '\0';
			t->n++;
			wl = 0;
		}
		if (i >= len && wl == 0)
			break;
	}
}

int
lex_is_finnish(struct lex *lx, const char *word)
{
	return voikkoSpellCstr(lx->voikko, word) == VOIKKO_SPELL_OK;
}

static void
term_add(struct termbuf *tb, const char *w, size_t n)
{
	char *p, *nb;

	if (n == 0 || tb->failed)
		return;
	/* Skip duplicates: messages are short, a linear scan is enough. */
	for (p = tb->buf; p != NULL && p < tb->buf + tb->len;) {
		size_t wl = strcspn(p, " ");
		if (wl == n && memcmp(p, w, n) == 0)
			return;
		p += wl + 1;
	}
	if (tb->len + n + 2 > tb->cap) {
		size_t cap = (tb->cap + n + 2) * 2;
		if ((nb = realloc(tb->buf, cap)) == NULL) {
			tb->failed = 1;
			return;
		}
		tb->buf = nb;
		tb->cap = cap;
	}
	if (tb->len > 0)
		tb->buf[tb->len++] = ' ';
	memcpy(tb->buf + tb->len, w, n);
	tb->len += n;
	tb->buf[tb->len] = '\0';
}

/* Adds the words of s[0..n) lower-cased: base forms of names come
 * capitalised ("Vaasa"), and some compounds as "fysio=terapeutti". */
static void
add_words(struct termbuf *tb, const char *s, size_t n)
{
	struct lex_tokens *t;
	char buf[LEX_MAXWORD * 2];
	size_t i;

	if (n >= sizeof(buf) || (t = malloc(sizeof(*t))) == NULL)
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
	lex_tokenize(buf, t);
	for (i = 0; i < t->n; i++)
		term_add(tb, t->word[i], strlen(t->word[i]));
	free(t);
}

static char *
termbuf_done(struct termbuf *tb)
{
	if (tb->failed) {
		free(tb->buf);
		return NULL;
	}
	return tb->buf != NULL ? tb->buf : strdup("");
}

/* "+hammas(hammas)+lääkäri(lääkäri)+aika(aika)": the parts in brackets,
 * skipping derivational suffixes such as "(+us)".  Returns how many. */
static int
fi_add_parts(const char *bases, struct termbuf *tb)
{
	const char *p = bases, *open, *close;
	int n = 0;

	while ((open = strchr(p, '(')) != NULL) {
		if ((close = strchr(open, ')')) == NULL)
			break;
		if (open[1] != '+' && close - open > 2) {
			add_words(tb, open + 1, (size_t)(close - open - 1));
			n++;
		}
		p = close + 1;
	}
	return n;
}

/* FNV-1a: the caches of lex.c and the word lists of langid.c. */
uint32_t
lex_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Reads word with libvoikko into r (the cache entry). */
static int
fi_read(struct lex *lx, const char *word, struct lex_reading *r)
{
	struct voikko_mor_analysis **an;
	struct termbuf bases = {NULL, 0, 0, 0}, all = {NULL, 0, 0, 0},
		       first = {NULL, 0, 0, 0}, tmp;
	char *base, *wb;
	size_t i;

	an = voikkoAnalyzeWordCstr(lx->voikko, word);
	for (i = 0; an != NULL && an[i] != NULL; i++) {
		base = voikko_mor_analysis_value_cstr(an[i], "BASEFORM");
		wb = voikko_mor_analysis_value_cstr(an[i], "WORDBASES");
		if (base != NULL)
			add_words(&bases, base, strlen(base));
		if (wb != NULL) {
			fi_add_parts(wb, &all);
			memset(&tmp, 0, sizeof(tmp));
			if (first.buf == NULL && fi_add_parts(wb, &tmp) > 1)
				term_add(&first, tmp.buf, tmp.len);
			free(tmp.buf);
		}
		voikko_free_mor_analysis_value_cstr(base);
		voikko_free_mor_analysis_value_cstr(wb);
	}
	if (an != NULL)
		voikko_free_mor_analysis(an);
	if (bases.buf == NULL)
		term_add(&bases, word, strlen(word));
	r->bases = termbuf_done(&bases);
	r->allparts = termbuf_done(&all);
	r->firstparts = termbuf_done(&first);
	snprintf(r->word, sizeof(r->word), "%s", word);
	return r->bases != NULL && r->allparts != NULL && r->firstparts != NULL
	    ? 0
	    : -1;
}

static struct lex_reading *
fi_reading(struct lex *lx, const char *word)
{
	struct lex_reading *r = &lx->cache[lex_hash(word) % LEX_CACHE];

	if (r->bases != NULL && strcmp(r->word, word) == 0)
		return r;
	free(r->bases);
	free(r->allparts);
	free(r->firstparts);
	memset(r, 0, sizeof(*r));
	if (fi_read(lx, word, r) == -1)
		return NULL;
	return r;
}

/* Adds the words of a space-separated list. */
static void
term_add_list(struct termbuf *tb, const char *list)
{
	const char *p = list;
	size_t n;

	while (*p != '\0') {
		n = strcspn(p, " ");
		term_add(tb, p, n);
		p += n;
		p += strspn(p, " ");
	}
}

/*
 * Base forms of word into bases and, when libvoikko reads it as a
 * compound, the parts of its first compound reading into parts (NULL:
 * the parts of every reading go to bases too, as the index wants them).
 */
static void
fi_add_analyses(struct lex *lx, const char *word, struct termbuf *bases,
    struct termbuf *parts)
{
	struct lex_reading *r;

	if ((r = fi_reading(lx, word)) == NULL) {
		bases->failed = 1;
		return;
	}
	term_add_list(bases, r->bases);
	if (parts == NULL)
		term_add_list(bases, r->allparts);
	else if (r->firstparts[0] != '\0')
		term_add(parts, r->firstparts, strlen(r->firstparts));
}

/*
 * Returns the space-separated terms of text in lang ("fi", "sv", "en"),
 * newly allocated, or NULL when out of memory.  With words set, the words
 * as typed are added too: red-flag phrases match either.
 */
char *
lex_terms(struct lex *lx, const char *lang, const char *text, int words)
{
	struct lex_tokens *t;
	struct termbuf tb = {NULL, 0, 0, 0};
	size_t i;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++) {
		if (strcmp(lang, "fi") == 0)
			fi_add_analyses(lx, t->word[i], &tb, NULL);
		if (words || strcmp(lang, "fi") != 0)
			term_add(&tb, t->word[i], strlen(t->word[i]));
	}
	free(t);
	return termbuf_done(&tb);
}

static void
group_add(struct termbuf *tb, struct termbuf *g, const char *prefix)
{
	char *p;

	for (p = g->buf; p != NULL && *p != '\0'; p++)
		if (*p == ' ')
			*p = '|';
	if (g->buf != NULL && prefix != NULL) {
		char buf[LEX_MAXWORD * 8];
		snprintf(buf, sizeof(buf), "%s%s", prefix, g->buf);
		term_add(tb, buf, strlen(buf));
	} else if (g->buf != NULL)
		term_add(tb, g->buf, g->len);
	tb->failed |= g->failed;
	free(g->buf);
	memset(g, 0, sizeof(*g));
}

/*
 * Per word, its alternatives joined by '|' ("pääsen|päästä"), words
 * separated by spaces: a message is searched this way, so that a word
 * counts once however many base forms it has.  A Finnish compound counts
 * by its parts, each a word of its own, and its whole form is optional
 * ("?hammaslääkäriaika"): it adds weight only where it matches.  A
 * red-flag phrase (parts == 0) keeps no parts: "hengenahdistus" must not
 * fire on "ahdistaa", while "kipu" still matches the message's
 * "rintakipua", whose parts the index holds.
 */
char *
lex_groups(struct lex *lx, const char *lang, const char *text, int parts)
{
	struct lex_tokens *t;
	struct termbuf tb = {NULL, 0, 0, 0}, alt, cp;
	size_t i;
	char *p, *w;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++) {
		memset(&alt, 0, sizeof(alt));
		memset(&cp, 0, sizeof(cp));
		term_add(&alt, t->word[i], strlen(t->word[i]));
		if (strcmp(lang, "fi") == 0)
			fi_add_analyses(lx, t->word[i], &alt, &cp);
		if (cp.buf != NULL && parts) {
			for (p = cp.buf; (w = strsep(&p, " ")) != NULL;)
				term_add(&tb, w, strlen(w));
			group_add(&tb, &alt, "?");
		} else
			group_add(&tb, &alt, NULL);
		free(cp.buf);
	}
	free(t);
	return termbuf_done(&tb);
}

/* How many words text has. */
size_t
lex_count(const char *text)
{
	struct lex_tokens *t;
	size_t n = 0;

	if ((t = malloc(sizeof(*t))) != NULL) {
		lex_tokenize(text, t);
		n = t->n;
		free(t);
	}
	return n;
}

/* The words of text, lower-cased, one space apart: the form in which the
 * content team's reports group questions. */
char *
lex_normalize(const char *text)
{
	struct lex_tokens *t;
	size_t i, len = 0;
	char *out;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++)
		len += strlen(t->word[i]) + 1;
	if ((out = malloc(len + 1)) != NULL) {
		out[0] = '\0';
		for (i = 0, len = 0; i < t->n; i++)
			len += (size_t)sprintf(
			    out + len, "%s%s", i ? " " : "", t->word[i]);
	}
	free(t);
	return out;
}
