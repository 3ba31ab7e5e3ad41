/*
 * test_text.c: the pure text functions: UTF-8, tokenisation, Finnish
 * lemmatisation and compounds, the search groups, language detection.
 * Runs from the project's root (conf/lang is read).
 */
#include <stdlib.h>
#include <string.h>

#include "langid.h"
#include "lex.h"
#include "test.h"
#include "utf8.h"

static int
has_term(const char *terms, const char *w)
{
	size_t n = strlen(w);
	const char *p = terms;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == terms || p[-1] == ' ' || p[-1] == '|' ||
			p[-1] == '?') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '|'))
			return 1;
		p += n;
	}
	return 0;
}

static void
test_utf8(void)
{
	char buf[64];

	TEST_CHECK(utf8_valid("hyvää päivää", strlen("hyvää päivää")));
	TEST_CHECK(!utf8_valid("\xc3\x28", 2));     /* bad continuation */
	TEST_CHECK(!utf8_valid("\xc0\xaf", 2));     /* overlong */
	TEST_CHECK(!utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	TEST_CHECK(!utf8_valid("a\0b", 3));         /* NUL */
	TEST_CHECK(utf8_count("ääkkönen", strlen("ääkkönen")) == 8);
	TEST_CHECK(utf8_count("😀", 4) == 1);
	TEST_CHECK(utf8_lower(0xc4) == 0xe4); /* Ä -> ä */
	TEST_CHECK(utf8_lower(0xc5) == 0xe5); /* Å -> å */
	snprintf(buf, sizeof(buf), "  \xc2\xa0 moi \t\n");
	TEST_STREQ(utf8_trim(buf), "moi");
}

static void
test_tokens(void)
{
	struct lex_tokens *t = malloc(sizeof(*t));
	char *n;

	lex_tokenize("Hei! Miten VOIN uusia reseptin? isn't 3x+5", t);
	TEST_CHECK(t->n == 8);
	TEST_STREQ(t->word[0], "hei");
	TEST_STREQ(t->word[2], "voin");
	TEST_STREQ(t->word[5], "isnt");
	TEST_STREQ(t->word[6], "3x");
	lex_tokenize("ÅBO ÄITI", t);
	TEST_STREQ(t->word[0], "åbo");
	TEST_STREQ(t->word[1], "äiti");
	free(t);
	n = lex_normalize("  Tallentuuko  TÄMÄ [hetu], kysyn?");
	TEST_STREQ(n, "tallentuuko tämä hetu kysyn");
	free(n);
}

static void
test_finnish(struct lex *lx)
{
	char *t;

	/* Gradation and compounds: the measured misses of Snowball. */
	t = lex_terms(lx, "fi", "hammaslääkäriajan", 0);
	TEST_CHECK(has_term(t, "hammas") && has_term(t, "lääkäri") &&
	    has_term(t, "aika"));
	free(t);
	t = lex_terms(lx, "fi", "kotihoidon", 0);
	TEST_CHECK(has_term(t, "kotihoito") && has_term(t, "koti") &&
	    has_term(t, "hoito"));
	free(t);
	t = lex_terms(lx, "fi", "reseptin uusiminen", 0);
	TEST_CHECK(has_term(t, "resepti") && has_term(t, "uusia"));
	free(t);
	t = lex_terms(lx, "fi", "Reseptit uusitaan", 0);
	TEST_CHECK(has_term(t, "resepti") && has_term(t, "uusia"));
	free(t);
	/* Names come lower-cased; unknown words stay as typed. */
	t = lex_terms(lx, "fi", "Vaasassa lekurille", 0);
	TEST_CHECK(has_term(t, "vaasa") && has_term(t, "lekurille"));
	free(t);
	/* Swedish and English words are passed on for Snowball. */
	t = lex_terms(lx, "sv", "Förnya receptet", 0);
	TEST_STREQ(t, "förnya receptet");
	free(t);
}

static void
test_groups(struct lex *lx)
{
	char *g;

	/* A compound counts by its parts, its whole form is optional. */
	g = lex_groups(lx, "fi", "hammaslääkäriaika", 1);
	TEST_STREQ(g, "hammas lääkäri aika ?hammaslääkäriaika");
	free(g);
	/* A word counts once whatever its readings. */
	g = lex_groups(lx, "fi", "pääsen", 1);
	TEST_CHECK(strchr(g, ' ') == NULL && has_term(g, "päästä"));
	free(g);
	/* Red-flag phrases keep no compound parts. */
	g = lex_groups(lx, "fi", "hengenahdistus", 0);
	TEST_CHECK(!has_term(g, "ahdistus") && has_term(g, "hengenahdistus"));
	free(g);
	g = lex_groups(lx, "en", "Not breathing", 1);
	TEST_STREQ(g, "not breathing");
	free(g);
}

static void
test_langid(struct lex *lx)
{
	struct langid *li;
	char err[256];

	li = langid_load("conf/lang", err, sizeof(err));
	TEST_CHECK(li != NULL);
	if (li == NULL)
		return;
	TEST_STREQ(langid_detect(li, lx, "Miten uusin reseptin?", "en"), "fi");
	TEST_STREQ(
	    langid_detect(li, lx, "hur förnyar jag mitt recept", "fi"), "sv");
	TEST_STREQ(
	    langid_detect(li, lx, "how do I renew my prescription", "fi"),
	    "en");
	TEST_STREQ(
	    langid_detect(li, lx, "hej, kan jag skriva på svenska", "en"),
	    "sv");
	TEST_STREQ(
	    langid_detect(li, lx, "moikka, voinko kirjoittaa suomeksi", "sv"),
	    "fi");
	TEST_STREQ(
	    langid_detect(li, lx, "hammaslääkäriajanvaraus", "en"), "fi");
	/* Too little evidence: the widget's language stands. */
	TEST_STREQ(langid_detect(li, lx, "info", "sv"), "sv");
	TEST_STREQ(langid_detect(li, lx, "112", "en"), "en");
	TEST_STREQ(langid_detect(li, lx, "", "fi"), "fi");
	TEST_CHECK(
	    langid_valid("sv") && !langid_valid("de") && !langid_valid(NULL));
	TEST_CHECK(langid_load("/nonexistent", err, sizeof(err)) == NULL &&
	    strstr(err, "/nonexistent") != NULL);
	langid_free(li);
}

int
main(void)
{
	struct lex *lx;
	char err[256];

	test_utf8();
	test_tokens();
	if ((lx = lex_open(err, sizeof(err))) == NULL) {
		fprintf(stderr, "lex_open: %s\n", err);
		return 1;
	}
	test_finnish(lx);
	test_groups(lx);
	test_langid(lx);
	lex_close(lx);
	return TEST_REPORT();
}
