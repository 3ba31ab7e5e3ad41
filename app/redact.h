/*
 * redact.h: replace personal data in a citizen's text with placeholders
 * before the text is stored or logged anywhere.
 */
#ifndef NEUVO_REDACT_H
#define NEUVO_REDACT_H

#define REDACT_HETU    0x01 /* "[hetu]" */
#define REDACT_PHONE   0x02 /* "[phone]" */
#define REDACT_EMAIL   0x04 /* "[email]" */
#define REDACT_IBAN    0x08 /* "[iban]" */
#define REDACT_ADDRESS 0x10 /* "[address]" */

/*
 * Returns a newly allocated copy of text (a NUL-terminated UTF-8 string,
 * not NULL) with personal data replaced by placeholders, or NULL on
 * allocation failure.  *found (if not NULL) gets a bit mask of REDACT_*
 * kinds that were replaced.  The caller frees the result.
 */
char *redact_text(const char *text, unsigned *found);

#endif
