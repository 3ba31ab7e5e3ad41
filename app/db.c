/*
 * db.c: the worker's database connection.  Connecting is lazy and repeated
 * whenever the connection broke (a restarted server, a network cut): each
 * new connection prepares every statement once and listens for
 * kb_changed.  A query that finds the connection broken is retried once
 * on a fresh one; past that the caller answers 503.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

struct db_stmt_def {
	const char *name;
	int nparams;
	const char *sql;
};

static const struct db_stmt_def db_stmts[DB_NSTMT] = {
    [DB_HEALTH] = {"health", 0, "SELECT 1"},
    [DB_TURN] = {"turn", 5,
	"SELECT answer_id, score, kind, lang, reply, silenced FROM "
	"kb.turn($1::text, "
	"$2::text[], $3::text[], $4::text, $5::integer)"},
    [DB_REDFLAG] = {"redflag", 2,
	"SELECT answer_id, phrase, lang FROM kb.redflag_match($1::text, "
	"$2::text[])"},
    [DB_REPLY] = {"reply", 2, "SELECT kb.reply($1::integer, $2::text)"},
    [DB_REPLY_KEY] = {"reply_key", 2,
	"SELECT kb.reply_key($1::text, $2::text)"},
    [DB_TITLES] = {"titles", 2, "SELECT kb.titles($1::integer[], $2::text)"},
    [DB_TOPICS] = {"topics", 1, "SELECT kb.topics($1::text)"},
    [DB_LOG_TURN] = {"log_turn", 9,
	"SELECT chat.log_turn($1::uuid, $2::text, "
	"$3::text, $4::text, $5::text, $6::text, $7::integer, $8::real, "
	"$9::integer[])"},
    [DB_LAST_SUGGESTIONS] = {"last_suggestions", 1,
	"SELECT chat.last_suggestions($1::text)"},
    [DB_RATE] = {"rate", 2, "SELECT chat.rate($1::uuid, $2::boolean)"},
    [DB_FEEDBACK] = {"feedback", 5,
	"SELECT chat.add_feedback("
	"$1::smallint, $2::text, $3::text, $4::text, $5::text)"},
    [DB_UNINDEXED] = {"unindexed", 0,
	"SELECT tbl, id, sub, lang, text FROM kb.unindexed()"},
    [DB_SET_TERMS] = {"set_terms", 4,
	"SELECT kb.set_terms($1::text, "
	"$2::integer, $3::text, $4::text)"},
    [DB_REFRESH] = {"refresh", 0, "SELECT kb.refresh()"},
};

struct db {
	PGconn *conn;
	char *conninfo;
	char *user;
	int notified;
	int pending; /* a db_send() whose result is not yet read */
};

static int db_connect(struct db *);
static int db_broken(struct db *);

struct db *
db_new(const char *conninfo, const char *user)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	db->conninfo = strdup(conninfo);
	db->user = strdup(user);
	if (db->conninfo == NULL || db->user == NULL) {
		db_free(db);
		return NULL;
	}
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db->user);
	free(db);
}

/* The configured string is expanded as a conninfo; a later "user" entry
 * overrides its user, so one string serves the owner's tools and the
 * service's own role. */
static int
db_connect(struct db *db)
{
	const char *keys[] = {
	    "dbname", "user", "application_name", "connect_timeout", NULL};
	const char *vals[] = {db->conninfo, db->user, "neuvo", "3", NULL};
	PGresult *res;
	int i;

	if (db->user[0] == '\0')
		keys[1] = vals[1] = NULL;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("cannot connect: %s", PQerrorMessage(db->conn));
		goto fail;
	}
	for (i = 0; i < DB_NSTMT; i++) {
		res = PQprepare(db->conn, db_stmts[i].name, db_stmts[i].sql,
		    db_stmts[i].nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_error("prepare %s: %s", db_stmts[i].name,
			    PQerrorMessage(db->conn));
			PQclear(res);
			goto fail;
		}
		PQclear(res);
	}
	res = PQexec(db->conn, "LISTEN kb_changed");
	i = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!i)
		goto fail;
	/* What changed before we listened is picked up now. */
	db->notified = 1;
	log_info("connected, %d statements prepared", DB_NSTMT);
	return 0;
fail:
	PQfinish(db->conn);
	db->conn = NULL;
	return -1;
}

int
db_ensure(struct db *db)
{
	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	return db_connect(db);
}

static int
db_broken(struct db *db)
{
	return db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK;
}

/*
 * Sends a prepared statement without waiting for it: a chat turn is
 * logged while its reply travels to the citizen.  db_collect() (or the
 * next db_exec) reads the outcome.  Returns -1 if it could not be sent.
 */
int
db_send(struct db *db, enum db_stmt s, const char *const *params)
{
	db_collect(db);
	if (db_ensure(db) == -1)
		return -1;
	if (!PQsendQueryPrepared(db->conn, db_stmts[s].name,
		db_stmts[s].nparams, params, NULL, NULL, 0)) {
		log_error("%s: %s", db_stmts[s].name, PQerrorMessage(db->conn));
		return -1;
	}
	db->pending = s + 1;
	return 0;
}

/* Reads the result of a db_send(), logging a failure. */
void
db_collect(struct db *db)
{
	PGresult *res;
	int st;

	if (!db->pending)
		return;
	while ((res = PQgetResult(db->conn)) != NULL) {
		st = PQresultStatus(res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
			log_error("%s: %s", db_stmts[db->pending - 1].name,
			    PQresultErrorMessage(res));
		PQclear(res);
	}
	db->pending = 0;
}

/*
 * Runs a prepared statement.  Returns a result with tuples or a command
 * status, or NULL when the database cannot be reached or the statement
 * failed (logged); the caller then answers 503.
 */
PGresult *
db_exec(struct db *db, enum db_stmt s, const char *const *params)
{
	PGresult *res;
	int attempt, st;

	db_collect(db);
	for (attempt = 0; attempt < 2; attempt++) {
		if (db_ensure(db) == -1)
			return NULL;
		res = PQexecPrepared(db->conn, db_stmts[s].name,
		    db_stmts[s].nparams, params, NULL, NULL, 0);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		if (!db_broken(db)) {
			log_error("%s: %s", db_stmts[s].name,
			    PQerrorMessage(db->conn));
			return NULL;
		}
		log_warn("%s: connection lost, reconnecting", db_stmts[s].name);
	}
	return NULL;
}

int
db_begin(struct db *db)
{
	PGresult *res;
	int ok;

	db_collect(db);
	if (db_ensure(db) == -1)
		return -1;
	res = PQexec(db->conn, "BEGIN");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

int
db_end(struct db *db, int commit)
{
	PGresult *res;
	int ok;

	if (db_broken(db))
		return -1;
	res = PQexec(db->conn, commit ? "COMMIT" : "ROLLBACK");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

/* Has the knowledge base changed since the last call?  Never blocks. */
int
db_notified(struct db *db)
{
	PGnotify *n;
	int changed;

	if (db->conn != NULL && PQconsumeInput(db->conn) == 1) {
		while ((n = PQnotifies(db->conn)) != NULL) {
			db->notified = 1;
			PQfreemem(n);
		}
	}
	changed = db->notified;
	db->notified = 0;
	return changed;
}

/* A space-separated list of words as a text[] literal, newly allocated.
 * Words hold only letters and digits (lex.c), quoted all the same. */
char *
db_array(const char *words)
{
	size_t len = strlen(words), i, o = 0;
	char *out;

	if ((out = malloc(len * 2 + 4)) == NULL)
		return NULL;
	out[o++] = '{';
	for (i = 0; i <= len; i++) {
		int start = (i == 0 || words[i - 1] == ' ');
		int end = (words[i] == ' ' || words[i] == '\0');

		if (len == 0)
			break;
		if (start)
			out[o++] = '"';
		if (words[i] == '"' || words[i] == '\\')
			out[o++] = '\\';
		if (end) {
			out[o++] = '"';
			if (words[i] == ' ')
				out[o++] = ',';
		} else
			out[o++] = words[i];
	}
	out[o++] = '}';
	out[o] = '\0';
	return out;
}
