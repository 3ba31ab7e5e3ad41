/*
 * index.h: lemmatising the knowledge base's new or changed rows.
 */
#ifndef NEUVO_INDEX_H
#define NEUVO_INDEX_H

struct db;
struct lex;

int index_run(struct db *, struct lex *);

#endif
