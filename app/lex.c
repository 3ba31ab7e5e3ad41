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

struct lex {
	struct VoikkoHandle	*voikko;
};

struct termbuf {
	char	*buf;
	size_t	 len, cap;
	int	 failed;
};

static void	term_add(struct termbuf *, const char *, size_t);
static void	fi_add_analyses(struct lex *, const char *, struct termbuf *);
static void	fi_add_parts(const char *, struct termbuf *);
static char	*termbuf_done(struct termbuf *);

struct lex *
lex_open(char *err, size_t errlen)
{
	struct lex	*lx;
	const char	*verr = NULL;

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
	if (lx == NULL)
		return;
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
	size_t	 i = 0, len = strlen(text), wl = 0;
	uint32_t c;
	char	 enc[4], *w;

	t->n = 0;
	while (t->n < LEX_MAXTOKENS) {
		w = t->word[t->n];
		if (i >= len)
			c = ' ';
		else if (utf8_decode(text, len, &i, &c) == -1) {
			i++;	/* not reached for validated input */
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
	char	*p, *nb;

	if (n == 0 || tb->failed)
		return;
	/* Skip duplicates: messages are short, a linear scan is enough. */
	for (p = tb->buf; p != NULL && p < tb->buf + tb->len;) {
		size_t	 wl = strcspn(p, " ");
		if (wl == n && memcmp(p, w, n) == 0)
			return;
		p += wl + 1;
	}
	if (tb->len + n + 2 > tb->cap) {
		size_t	 cap = (tb->cap + n + 2) * 2;
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
 * skipping derivational suffixes such as "(+us)". */
static void
fi_add_parts(const char *bases, struct termbuf *tb)
{
	const char	*p = bases, *open, *close;

	while ((open = strchr(p, '(')) != NULL) {
		if ((close = strchr(open, ')')) == NULL)
			break;
		if (open[1] != '+' && close - open > 2)
			term_add(tb, open + 1, (size_t)(close - open - 1));
		p = close + 1;
	}
}

static void
fi_add_analyses(struct lex *lx, const char *word, struct termbuf *tb)
{
	struct voikko_mor_analysis	**an;
	char				 *base, *parts;
	struct lex_tokens		  lt;
	size_t				  i, added = 0;

	an = voikkoAnalyzeWordCstr(lx->voikko, word);
	for (i = 0; an != NULL && an[i] != NULL; i++) {
		base = voikko_mor_analysis_value_cstr(an[i], "BASEFORM");
		parts = voikko_mor_analysis_value_cstr(an[i], "WORDBASES");
		if (base != NULL) {
			/* Base forms of names come capitalised. */
			lex_tokenize(base, &lt);
			if (lt.n == 1) {
				term_add(tb, lt.word[0], strlen(lt.word[0]));
				added++;
			}
		}
		if (parts != NULL)
			fi_add_parts(parts, tb);
		voikko_free_mor_analysis_value_cstr(base);
		voikko_free_mor_analysis_value_cstr(parts);
	}
	if (an != NULL)
		voikko_free_mor_analysis(an);
	if (added == 0)
		term_add(tb, word, strlen(word));
}

/*
 * Returns the space-separated terms of text in lang ("fi", "sv", "en"),
 * newly allocated, or NULL when out of memory.  With words set, the words
 * as typed are added too: red-flag phrases match either.
 */
char *
lex_terms(struct lex *lx, const char *lang, const char *text, int words)
{
	struct lex_tokens	*t;
	struct termbuf		 tb = { NULL, 0, 0, 0 };
	size_t			 i;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++) {
		if (strcmp(lang, "fi") == 0)
			fi_add_analyses(lx, t->word[i], &tb);
		if (words || strcmp(lang, "fi") != 0)
			term_add(&tb, t->word[i], strlen(t->word[i]));
	}
	free(t);
	return termbuf_done(&tb);
}

/*
 * A red-flag phrase: per word, its alternatives joined by '|' ("ei
 * hengittää|hengitä"), words separated by spaces.
 */
char *
lex_phrase(struct lex *lx, const char *lang, const char *text)
{
	struct lex_tokens	*t;
	struct termbuf		 tb = { NULL, 0, 0, 0 }, alt;
	size_t			 i, k;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++) {
		memset(&alt, 0, sizeof(alt));
		term_add(&alt, t->word[i], strlen(t->word[i]));
		if (strcmp(lang, "fi") == 0)
			fi_add_analyses(lx, t->word[i], &alt);
		for (k = 0; alt.buf != NULL && k < alt.len; k++)
			if (alt.buf[k] == ' ')
				alt.buf[k] = '|';
		if (alt.buf != NULL)
			term_add(&tb, alt.buf, alt.len);
		free(alt.buf);
		tb.failed |= alt.failed;
	}
	free(t);
	return termbuf_done(&tb);
}

/* The words of text, lower-cased, one space apart: the form in which the
 * content team's reports group questions. */
char *
lex_normalize(const char *text)
{
	struct lex_tokens	*t;
	size_t			 i, len = 0;
	char			*out;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++)
		len += strlen(t->word[i]) + 1;
	if ((out = malloc(len + 1)) != NULL) {
		out[0] = '\0';
		for (i = 0, len = 0; i < t->n; i++)
			len += (size_t)sprintf(out + len, "%s%s",
			    i ? " " : "", t->word[i]);
	}
	free(t);
	return out;
}
