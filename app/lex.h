/*
 * lex.h: words of a message, and the terms that retrieval and red-flag
 * matching compare: Finnish base forms and compound parts from libvoikko,
 * lower-cased words for Swedish and English (PostgreSQL stems those).
 */
#ifndef NEUVO_LEX_H
#define NEUVO_LEX_H

#include <stddef.h>
#include <stdint.h>

#define LEX_MAXWORD   64
#define LEX_MAXTOKENS 256

struct lex;

struct lex_tokens {
	size_t n;
	char word[LEX_MAXTOKENS][LEX_MAXWORD];
};

struct lex *lex_open(char *, size_t);
void lex_close(struct lex *);
void lex_tokenize(const char *, struct lex_tokens *);
int lex_is_finnish(struct lex *, const char *);
char *lex_terms(struct lex *, const char *, const char *, int);
char *lex_groups(struct lex *, const char *, const char *, int);
char *lex_normalize(const char *);
size_t lex_count(const char *);
uint32_t lex_hash(const char *);

#endif
