/*
 * utf8.h: UTF-8 validation, counting and the case folding Neuvo needs for
 * Finnish, Swedish and English text.
 */
#ifndef NEUVO_UTF8_H
#define NEUVO_UTF8_H

#include <stddef.h>
#include <stdint.h>

int utf8_valid(const char *, size_t);
size_t utf8_count(const char *, size_t);
int utf8_decode(const char *, size_t, size_t *, uint32_t *);
size_t utf8_encode(uint32_t, char *);
uint32_t utf8_lower(uint32_t);
int utf8_is_letter(uint32_t);
char *utf8_trim(char *);

#endif
