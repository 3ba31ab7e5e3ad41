/*
 * langid.c: language detection from the message itself.  Each word votes
 * for the languages whose list of common words (data files under
 * conf/lang/, one word a line) holds it; a Finnish word that libvoikko
 * accepts votes for Finnish.  A clear majority wins; a tie or no evidence
 * leaves the widget's language in charge, as the contract says.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "langid.h"
#include "lex.h"

#define LANGID_NLANG 3
#define LANGID_SLOTS 4096 /* per language; lists hold a few hundred */

static const char *langid_names[LANGID_NLANG] = {"fi", "sv", "en"};

struct langid {
	char *slot[LANGID_NLANG][LANGID_SLOTS];
};

static int set_add(char **, const char *);
static int set_has(char *const *, const char *);
static int load_list(struct langid *, int, const char *, char *, size_t);

static int
set_add(char **set, const char *w)
{
	uint32_t i = lex_hash(w) % LANGID_SLOTS, n;

	for (n = 0; n < LANGID_SLOTS; n++, i = (i + 1) % LANGID_SLOTS) {
		if (set[i] == NULL)
			return (set[i] = strdup(w)) == NULL ? -1 : 0;
		if (strcmp(set[i], w) == 0)
			return 0;
	}
	return -1;
}

static int
set_has(char *const *set, const char *w)
{
	uint32_t i = lex_hash(w) % LANGID_SLOTS, n;

	for (n = 0; n < LANGID_SLOTS && set[i] != NULL;
	     n++, i = (i + 1) % LANGID_SLOTS)
		if (strcmp(set[i], w) == 0)
			return 1;
	return 0;
}

static int
load_list(struct langid *li, int l, const char *dir, char *err, size_t len)
{
	char path[1024], line[256];
	struct lex_tokens *t;
	FILE *fp;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s.txt", dir, langid_names[l]);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, len, "%s: cannot open", path);
		return -1;
	}
	if ((t = malloc(sizeof(*t))) == NULL) {
		fclose(fp);
		snprintf(err, len, "out of memory");
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		lex_tokenize(line, t);
		if (t->n == 1 && set_add(li->slot[l], t->word[0]) == -1) {
			snprintf(err, len, "%s: too many words", path);
			rc = -1;
		}
	}
	free(t);
	fclose(fp);
	return rc;
}

struct langid *
langid_load(const char *dir, char *err, size_t errlen)
{
	struct langid *li;
	int l;

	if ((li = calloc(1, sizeof(*li))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (l = 0; l < LANGID_NLANG; l++) {
		if (load_list(li, l, dir, err, errlen) == -1) {
			langid_free(li);
			return NULL;
		}
	}
	return li;
}

void
langid_free(struct langid *li)
{
	size_t l, i;

	if (li == NULL)
		return;
	for (l = 0; l < LANGID_NLANG; l++)
		for (i = 0; i < LANGID_SLOTS; i++)
			free(li->slot[l][i]);
	free(li);
}

int
langid_valid(const char *lang)
{
	int l;

	for (l = 0; lang != NULL && l < LANGID_NLANG; l++)
		if (strcmp(lang, langid_names[l]) == 0)
			return 1;
	return 0;
}

/* Returns "fi", "sv" or "en": the message's language, else fallback. */
const char *
langid_detect(
    struct langid *li, struct lex *lx, const char *text, const char *fallback)
{
	struct lex_tokens *t;
	int score[LANGID_NLANG] = {0}, l, best = -1, listed;
	size_t i;

	if ((t = malloc(sizeof(*t))) == NULL)
		return fallback;
	lex_tokenize(text, t);
	for (i = 0; i < t->n; i++) {
		listed = 0;
		for (l = 0; l < LANGID_NLANG; l++)
			if (set_has(li->slot[l], t->word[i])) {
				score[l] += 2;
				listed = 1;
			}
		/* A long word libvoikko knows is good evidence; a short one
		 * may be a loan ("info", "bussi"). */
		if (!listed && lex_is_finnish(lx, t->word[i]))
			score[0] += strlen(t->word[i]) >= 6 ? 2 : 1;
		if (strstr(t->word[i], "\xc3\xa5") != NULL) /* å */
			score[1] += 2;
	}
	free(t);
	for (l = 0; l < LANGID_NLANG; l++)
		if (score[l] >= 2 && (best == -1 || score[l] > score[best]))
			best = l;
	for (l = 0; best != -1 && l < LANGID_NLANG; l++)
		if (l != best && score[l] == score[best])
			return fallback;
	return best == -1 ? fallback : langid_names[best];
}
