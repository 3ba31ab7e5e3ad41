/*
 * neuvo.h: what a worker holds for its whole life, shared by its modules.
 */
#ifndef NEUVO_H
#define NEUVO_H

#include <jansson.h>

#include "config.h"

#define NEUVO_EXIT_FATAL 78 /* bad configuration: do not respawn */

struct db;
struct lex;
struct langid;

struct neuvo {
	struct config cfg;
	struct db *db;
	struct lex *lex;
	struct langid *langid;
	json_t *unavailable; /* {"fi": …, "sv": …, "en": …} */
};

int neuvo_load(struct neuvo *, const char *, char *, size_t);
void neuvo_free(struct neuvo *);

#endif
