/*
 * chat.c: one chat turn.  Order matters: red flags are checked before
 * retrieval, so a person describing an emergency is told to call 112
 * whatever else the message says.  The answer is computed from the
 * message in memory; only its redacted form is written to the log.
 */
#include <sys/random.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "chat.h"
#include "db.h"
#include "http.h"
#include "index.h"
#include "langid.h"
#include "lex.h"
#include "log.h"
#include "neuvo.h"
#include "redact.h"
#include "turn.h"
#include "utf8.h"

#define CHAT_MAXCHARS 1000

struct chat_turn {
	const char *lang;
	const char *session;
	char *message; /* trimmed in place: the body is ours for the turn */
	int answer_id; /* requested by id */
	size_t words;  /* one word ("aika", "help") is vague: clarify sooner */
	const char *kind;
	json_t *reply; /* kb.reply() of the answer */
	struct turn_decision d;
};

static int chat_parse(struct http_request *, json_t *, struct chat_turn *);
static int chat_decide(struct neuvo *, struct chat_turn *);
static int chat_retrieve(struct neuvo *, struct chat_turn *);
static const char *chat_lang(const char *, const char *);
static json_t *chat_fetch(
    struct neuvo *, enum db_stmt, const char *, const char *);
static int chat_log(struct neuvo *, struct chat_turn *, const char *);
static json_t *chat_response(struct neuvo *, struct chat_turn *, const char *);

int
chat_session_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= 1 && n <= 64 &&
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n;
}

/* Validates the request's fields; on failure the error has been sent. */
static int
chat_parse(struct http_request *req, json_t *body, struct chat_turn *t)
{
	json_t *msg = json_object_get(body, "message");
	json_t *lang = json_object_get(body, "lang");
	json_t *sess = json_object_get(body, "session");
	json_t *aid = json_object_get(body, "answer_id");
	size_t chars;

	if (lang != NULL && !json_is_null(lang) &&
	    (!json_is_string(lang) || !langid_valid(json_string_value(lang)))) {
		http_send_error(req, 400, "invalid_field",
		    "lang must be one of fi, sv, en", NULL);
		return -1;
	}
	t->lang = json_is_string(lang) ? json_string_value(lang) : NULL;
	if (sess != NULL && !json_is_null(sess) &&
	    (!json_is_string(sess) ||
		!chat_session_valid(json_string_value(sess)))) {
		http_send_error(req, 400, "invalid_field",
		    "session must be 1-64 characters of [A-Za-z0-9_-]", NULL);
		return -1;
	}
	t->session = json_is_string(sess) ? json_string_value(sess) : NULL;
	if (msg == NULL || json_is_null(msg)) {
		if (json_is_integer(aid) && json_integer_value(aid) > 0 &&
		    json_integer_value(aid) < 1000000000) {
			t->answer_id = (int)json_integer_value(aid);
			return 0;
		}
		http_send_error(req, 400,
		    aid != NULL ? "invalid_field" : "missing_message",
		    aid != NULL ? "answer_id must be a "
				  "positive integer"
				: "message is required",
		    NULL);
		return -1;
	}
	if (!json_is_string(msg)) {
		http_send_error(req, 400, "invalid_field",
		    "message must be a string", NULL);
		return -1;
	}
	t->message = utf8_trim((char *)json_string_value(msg));
	chars = utf8_count(t->message, strlen(t->message));
	if (chars == 0) {
		http_send_error(
		    req, 400, "missing_message", "message is empty", NULL);
		return -1;
	}
	if (chars > CHAT_MAXCHARS) {
		http_send_error(req, 400, "message_too_long",
		    "message is longer than 1000 characters", NULL);
		return -1;
	}
	return 0;
}

/* A JSON value from a one-row, one-column statement, or NULL. */
static json_t *
chat_fetch(struct neuvo *nv, enum db_stmt s, const char *a, const char *b)
{
	const char *params[2] = {a, b};
	PGresult *res;
	json_t *v = NULL;

	if ((res = db_exec(nv->db, s, params)) == NULL)
		return NULL;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		v = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	else
		v = json_null();
	PQclear(res);
	return v;
}

static int
chat_int(const char *s)
{
	long long v;

	return config_parse_number(s, 0, 2000000000, &v) == 0 ? (int)v : 0;
}

/* Red flags first: every word of a phrase must be among the message's
 * base forms or words.  Returns 1 on a match, 0 if none, -1 on failure. */
/* Red flags in one sentence: its Finnish base forms and its words as
 * typed, against the phrases of every language (kb.redflag_match).
 * Returns 1 on a match, 0 if none, -1 on failure. */
static int
chat_redflag_in(struct neuvo *nv, struct chat_turn *t, const char *sentence)
{
	const char *p[2];
	char *words, *arr = NULL;
	PGresult *res = NULL;
	int rc = -1;

	if ((words = lex_terms(nv->lex, "fi", sentence, 1)) == NULL ||
	    (arr = db_array(words)) == NULL)
		goto out;
	p[0] = t->lang;
	p[1] = arr;
	if ((res = db_exec(nv->db, DB_REDFLAG, p)) == NULL)
		goto out;
	rc = 0;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		log_debug("%s: red flag \"%s\" (%s)", t->lang,
		    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
		t->lang = chat_lang(PQgetvalue(res, 0, 2), t->lang);
		t->d.kind = TURN_ANSWER;
		t->d.answer_id = chat_int(PQgetvalue(res, 0, 0));
		t->d.score = 1.0;
		rc = 1;
	}
out:
	PQclear(res);
	free(words);
	free(arr);
	return rc;
}

/*
 * Red flags are checked in the whole message (kb.turn), then clause by
 * clause (split at . , ! ? ; and new lines).  An exception ("renewing a
 * prescription") silences the red flags of the text it is in, so the
 * whole message may be silent while one clause is not: "How do I renew a
 * prescription? Dad is not breathing!" still gets 112, and a phrase that
 * spans a comma still counts.  Clauses beyond CHAT_MAXSENTENCES are
 * checked as one.
 */
#define CHAT_MAXSENTENCES 8
#define CHAT_CLAUSE_MARKS ".,!?;\n"

/* Does text hold two clauses or more (words on both sides of a mark)? */
static int
chat_clauses(const char *text)
{
	const char *p = text + strcspn(text, CHAT_CLAUSE_MARKS);

	if (*p == '\0')
		return 0;
	return lex_count(p) > 0 && lex_count(p) < lex_count(text);
}

static int
chat_redflag_clauses(struct neuvo *nv, struct chat_turn *t)
{
	char *copy, *s, *end;
	int n, rc = 0;

	if (!chat_clauses(t->message))
		return 0;
	if ((copy = strdup(t->message)) == NULL)
		return -1;
	for (s = copy, n = 1; rc == 0 && s != NULL && *s != '\0'; n++) {
		end = n < CHAT_MAXSENTENCES ? s + strcspn(s, CHAT_CLAUSE_MARKS)
					    : NULL;
		if (end != NULL && *end != '\0')
			*end++ = '\0';
		else
			end = NULL;
		if (lex_count(s) > 0)
			rc = chat_redflag_in(nv, t, s);
		s = end;
	}
	free(copy);
	return rc;
}

/* One of the three language codes, as a static string. */
static const char *
chat_lang(const char *lang, const char *fallback)
{
	static const char *langs[] = {"fi", "sv", "en"};
	size_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(lang, langs[i]) == 0)
			return langs[i];
	return fallback;
}

/* The ranked search and the policy.  Returns -1 when the database failed. */
/* The candidates of kb.turn() into c; returns how many. */
static int
chat_candidates(PGresult *res, struct turn_candidate *c)
{
	int i, n = 0;

	for (i = 0; i < PQntuples(res) && n < TURN_MAXCAND; i++, n++) {
		c[n].id = chat_int(PQgetvalue(res, i, 0));
		c[n].score = strtod(PQgetvalue(res, i, 1), NULL);
		c[n].smalltalk =
		    strcmp(PQgetvalue(res, i, 2), "smalltalk") == 0;
	}
	return n;
}

static void
chat_policy(struct neuvo *nv, struct chat_turn *t,
    const struct turn_candidate *c, int n)
{
	struct turn_policy pol;

	if (n > 0)
		log_debug("%s: %d candidates, best %d (%.3f), next %d (%.3f)",
		    t->lang, n, c[0].id, c[0].score, n > 1 ? c[1].id : 0,
		    n > 1 ? c[1].score : 0.0);
	pol.answer_threshold = nv->cfg.answer_threshold;
	pol.clarify_threshold = nv->cfg.clarify_threshold;
	pol.margin =
	    t->words == 1 ? nv->cfg.vague_margin : nv->cfg.answer_margin;
	pol.clarify_max = (size_t)nv->cfg.clarify_max;
	turn_decide(&pol, c, (size_t)n, &t->d);
}

/*
 * Red flags in the whole message, else the ranked search (one round trip,
 * kb.turn), then red flags clause by clause, then the policy.  The best
 * candidate's reply comes with it.  Returns -1 when the database failed.
 */
static int
chat_retrieve(struct neuvo *nv, struct chat_turn *t)
{
	struct turn_candidate c[TURN_MAXCAND];
	const char *p[5];
	char *words = NULL, *groups = NULL, *warr = NULL, *garr = NULL;
	char lim[8];
	json_t *best = NULL;
	PGresult *res = NULL;
	int n, rc = -1;

	if ((words = lex_terms(nv->lex, "fi", t->message, 1)) == NULL ||
	    (groups = lex_groups(nv->lex, t->lang, t->message, 1)) == NULL ||
	    (warr = db_array(words)) == NULL ||
	    (garr = db_array(groups)) == NULL)
		goto out;
	snprintf(lim, sizeof(lim), "%d", TURN_MAXCAND);
	p[0] = t->lang;
	p[1] = warr;
	p[2] = garr;
	p[3] = t->message;
	p[4] = lim;
	if ((res = db_exec(nv->db, DB_TURN, p)) == NULL)
		goto out;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, 4))
		best = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
	if (PQntuples(res) > 0 &&
	    strcmp(PQgetvalue(res, 0, 2), "redflag") == 0) {
		t->lang = chat_lang(PQgetvalue(res, 0, 3), t->lang);
		t->d.kind = TURN_ANSWER;
		t->d.answer_id = chat_int(PQgetvalue(res, 0, 0));
		t->d.score = 1.0;
	} else if ((PQntuples(res) == 0 ||
		       strcmp(PQgetvalue(res, 0, 5), "t") == 0) &&
	    (rc = chat_redflag_clauses(nv, t)) != 0)
		goto out;
	else {
		n = chat_candidates(res, c);
		chat_policy(nv, t, c, n);
	}
	/* The reply built with the best candidate, when it is the answer. */
	if (t->d.kind == TURN_ANSWER && PQntuples(res) > 0 &&
	    t->d.answer_id == chat_int(PQgetvalue(res, 0, 0)) &&
	    json_is_object(best)) {
		t->reply = best;
		best = NULL;
	}
	rc = 0;
out:
	json_decref(best);
	PQclear(res);
	free(words);
	free(groups);
	free(warr);
	free(garr);
	return rc;
}

/* The k-th number of an integer[] literal such as "{12,7,3}", or 0. */
static int
chat_nth(const char *s, int k)
{
	char *end;
	long v;

	if (*s == '{')
		s++;
	for (; k > 1 && *s != '\0'; s++)
		if (*s == ',')
			k--;
	if (k != 1)
		return 0;
	v = strtol(s, &end, 10);
	return (end != s && v > 0 && v < 2000000000) ? (int)v : 0;
}

/* A number typed after quick replies picks one of them.  Returns 1 when
 * it did, 0 when the message is no such choice, -1 on failure. */
static int
chat_choice(struct neuvo *nv, struct chat_turn *t)
{
	const char *p[1] = {t->session};
	PGresult *res;
	int k, id = 0;

	if (t->session == NULL || (k = turn_choice(t->message)) == 0)
		return 0;
	if ((res = db_exec(nv->db, DB_LAST_SUGGESTIONS, p)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		id = chat_nth(PQgetvalue(res, 0, 0), k);
	PQclear(res);
	if (id == 0)
		return 0;
	t->d.kind = TURN_ANSWER;
	t->d.answer_id = id;
	t->d.score = 1.0;
	return 1;
}

/* Fills t->d and t->reply.  Returns -1 when the database failed. */
static int
chat_decide(struct neuvo *nv, struct chat_turn *t)
{
	char idbuf[16];
	int rc = 0;

	if (t->answer_id > 0) {
		t->d.kind = TURN_ANSWER;
		t->d.answer_id = t->answer_id;
		t->d.score = 1.0;
	} else if ((rc = chat_choice(nv, t)) == 0)
		rc = chat_retrieve(nv, t);
	if (rc == -1)
		return -1;
	if (t->reply != NULL)
		return 0;
	if (t->d.kind == TURN_ANSWER) {
		snprintf(idbuf, sizeof(idbuf), "%d", t->d.answer_id);
		t->reply = chat_fetch(nv, DB_REPLY, idbuf, t->lang);
		if (t->reply == NULL)
			return -1;
		if (json_is_object(t->reply))
			return 0;
		/* Unpublished or unknown id: say so honestly. */
		json_decref(t->reply);
		t->d.kind = TURN_FALLBACK;
		t->d.answer_id = 0;
	}
	t->reply = chat_fetch(nv, DB_REPLY_KEY,
	    t->d.kind == TURN_CLARIFY ? "clarify" : "fallback", t->lang);
	return t->reply == NULL ? -1 : 0;
}

/* A random (version 4) UUID for the turn, made here so that the reply
 * can leave before the log is written. */
static int
chat_turn_id(char *buf, size_t len)
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(buf, len,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

/* Sends the turn (redacted) to the log; the worker reads the outcome
 * after the reply is out (db_collect). */
static int
chat_log(struct neuvo *nv, struct chat_turn *t, const char *turn_id)
{
	const char *p[9];
	char *red = NULL, *norm = NULL, *sugg = NULL, aid[16], sc[32];
	size_t i, o;
	int rc = -1;

	red = redact_text(t->message != NULL ? t->message : "", NULL);
	if (red == NULL || (norm = lex_normalize(red)) == NULL ||
	    (sugg = malloc(t->d.nsuggestion * 12 + 3)) == NULL)
		goto out;
	o = (size_t)sprintf(sugg, "{");
	for (i = 0; i < t->d.nsuggestion; i++)
		o += (size_t)sprintf(
		    sugg + o, "%s%d", i ? "," : "", t->d.suggestion[i]);
	sprintf(sugg + o, "}");
	snprintf(aid, sizeof(aid), "%d", t->d.answer_id);
	snprintf(sc, sizeof(sc), "%.4f", t->d.score);
	p[0] = turn_id;
	p[1] = t->session;
	p[2] = t->lang;
	p[3] = t->kind;
	p[4] = red;
	p[5] = norm;
	p[6] = t->d.answer_id > 0 ? aid : NULL;
	p[7] = sc;
	p[8] = sugg;
	rc = db_send(nv->db, DB_LOG_TURN, p);
out:
	free(red);
	free(norm);
	free(sugg);
	return rc;
}

static json_t *
chat_response(struct neuvo *nv, struct chat_turn *t, const char *turn_id)
{
	json_t *r, *sugg, *links;
	char *ids;
	size_t i, o;

	links = json_object_get(t->reply, "links");
	if (t->d.kind == TURN_ANSWER && links != NULL)
		json_incref(links);
	else
		links = json_array();
	r = json_pack("{s:s,s:s,s:O,s:o,s:o,s:s}", "kind", t->kind, "lang",
	    t->lang, "text", json_object_get(t->reply, "text"), "links", links,
	    "answer_id",
	    t->d.kind == TURN_ANSWER ? json_integer(t->d.answer_id)
				     : json_null(),
	    "turn_id", turn_id);
	sugg = NULL;
	if (t->d.nsuggestion > 0 &&
	    (ids = malloc(t->d.nsuggestion * 12 + 3)) != NULL) {
		o = (size_t)sprintf(ids, "{");
		for (i = 0; i < t->d.nsuggestion; i++)
			o += (size_t)sprintf(
			    ids + o, "%s%d", i ? "," : "", t->d.suggestion[i]);
		sprintf(ids + o, "}");
		sugg = chat_fetch(nv, DB_TITLES, ids, t->lang);
		free(ids);
	}
	if (r != NULL)
		json_object_set_new(r, "suggestions",
		    json_is_array(sugg) ? sugg : json_array());
	if (sugg != NULL && !json_is_array(sugg))
		json_decref(sugg);
	return r;
}

static const char *
chat_kind(const struct chat_turn *t)
{
	const char *k = json_string_value(json_object_get(t->reply, "kind"));

	if (t->d.kind == TURN_CLARIFY)
		return "clarify";
	if (t->d.kind == TURN_FALLBACK || k == NULL)
		return "fallback";
	return k; /* answer, emergency or smalltalk */
}

void
chat_handle(struct neuvo *nv, struct http_request *req, json_t *body)
{
	struct chat_turn t;
	char turn_id[64];
	json_t *r;

	memset(&t, 0, sizeof(t));
	if (chat_parse(req, body, &t) == -1)
		return;
	if (t.message != NULL) {
		t.lang = langid_detect(nv->langid, nv->lex, t.message,
		    t.lang != NULL ? t.lang : "fi");
		t.words = lex_count(t.message);
	} else if (t.lang == NULL)
		t.lang = "fi";
	if (db_notified(nv->db))
		index_run(nv->db, nv->lex);
	if (chat_decide(nv, &t) == -1)
		goto unavailable;
	t.kind = chat_kind(&t);
	if (chat_turn_id(turn_id, sizeof(turn_id)) == -1 ||
	    chat_log(nv, &t, turn_id) == -1)
		goto unavailable;
	if ((r = chat_response(nv, &t, turn_id)) == NULL)
		goto unavailable;
	http_send_json(req, 200, r, NULL);
	json_decref(t.reply);
	return;
unavailable:
	json_decref(t.reply);
	api_unavailable(nv, req, t.lang);
}
