/*
 * index.c: the knowledge base is indexed with the same lemmatiser that
 * reads the messages (lex.c).  PostgreSQL has no libvoikko, so the service
 * fills the terms: `neuvo -i` after a seed, and every worker when NOTIFY
 * kb_changed says the content team edited something.  Until then the raw
 * text is searchable (the tsvector falls back to it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "index.h"
#include "lex.h"
#include "log.h"

static int
index_row(struct db *db, struct lex *lx, PGresult *res, int i)
{
	const char *tbl = PQgetvalue(res, i, 0), *lang = PQgetvalue(res, i, 3);
	const char *p[4];
	char *terms;
	PGresult *r;

	if (strcmp(tbl, "redflag") == 0)
		terms = lex_groups(lx, lang, PQgetvalue(res, i, 4), 0);
	else
		terms = lex_terms(lx, lang, PQgetvalue(res, i, 4), 0);
	if (terms == NULL)
		return -1;
	p[0] = tbl;
	p[1] = PQgetvalue(res, i, 1);
	p[2] = PQgetvalue(res, i, 2);
	p[3] = terms;
	r = db_exec(db, DB_SET_TERMS, p);
	free(terms);
	PQclear(r);
	return r == NULL ? -1 : 0;
}

/* Returns the number of rows indexed, or -1. */
int
index_run(struct db *db, struct lex *lx)
{
	PGresult *res, *r;
	int i, n, rc = -1;

	if (db_begin(db) == -1)
		return -1;
	if ((res = db_exec(db, DB_UNINDEXED, NULL)) == NULL) {
		db_end(db, 0);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		if (index_row(db, lx, res, i) == -1)
			break;
	PQclear(res);
	if (i == n && n > 0) {
		r = db_exec(db, DB_REFRESH, NULL);
		if (r != NULL)
			rc = n;
		PQclear(r);
	} else if (i == n)
		rc = 0;
	if (db_end(db, rc >= 0) == -1)
		rc = -1;
	if (rc > 0)
		log_info("indexed %d rows", rc);
	return rc;
}
