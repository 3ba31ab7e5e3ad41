/*
 * langid.h: which of Finnish, Swedish and English a message is written in.
 */
#ifndef NEUVO_LANGID_H
#define NEUVO_LANGID_H

#include <stddef.h>

struct lex;
struct langid;

struct langid *langid_load(const char *, char *, size_t);
void langid_free(struct langid *);
const char *langid_detect(
    struct langid *, struct lex *, const char *, const char *);
int langid_valid(const char *);

#endif
