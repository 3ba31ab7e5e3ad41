/*
 * db.h: a worker's one PostgreSQL connection and its prepared statements.
 */
#ifndef NEUVO_DB_H
#define NEUVO_DB_H

#include <libpq-fe.h>

enum db_stmt {
	DB_HEALTH,
	DB_TURN,
	DB_REDFLAG,
	DB_REPLY,
	DB_REPLY_KEY,
	DB_TITLES,
	DB_TOPICS,
	DB_LOG_TURN,
	DB_LAST_SUGGESTIONS,
	DB_RATE,
	DB_FEEDBACK,
	DB_UNINDEXED,
	DB_SET_TERMS,
	DB_REFRESH,
	DB_NSTMT
};

struct db;

struct db *db_new(const char *, const char *);
void db_free(struct db *);
int db_ensure(struct db *);
PGresult *db_exec(struct db *, enum db_stmt, const char *const *);
int db_send(struct db *, enum db_stmt, const char *const *);
void db_collect(struct db *);
int db_begin(struct db *);
int db_end(struct db *, int);
int db_notified(struct db *);
char *db_array(const char *);

#endif
