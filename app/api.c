/*
 * api.c: routing and the small endpoints.  Every failure leaves as the
 * contract's JSON error; a database that cannot be reached becomes a 503
 * whose body still tells the citizen where a human helps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "chat.h"
#include "db.h"
#include "http.h"
#include "langid.h"
#include "log.h"
#include "neuvo.h"
#include "redact.h"
#include "utf8.h"

#define API_MAXCOMMENT 2000

typedef void (*api_fn)(struct neuvo *, struct http_request *, json_t *);

struct api_route {
	const char *path;
	const char *method;
	int body; /* takes a JSON body */
	api_fn fn;
};

static void api_chat(struct neuvo *, struct http_request *, json_t *);
static void api_feedback(struct neuvo *, struct http_request *, json_t *);
static void api_topics(struct neuvo *, struct http_request *, json_t *);
static void api_health(struct neuvo *, struct http_request *, json_t *);

static const struct api_route api_routes[] = {
    {"/api/chat", "POST", 1, api_chat},
    {"/api/feedback", "POST", 1, api_feedback},
    {"/api/topics", "GET", 0, api_topics},
    {"/api/health", "GET", 0, api_health},
};

void
api_unavailable(struct neuvo *nv, struct http_request *req, const char *lang)
{
	json_t *r, *text;

	text = json_object_get(nv->unavailable, lang != NULL ? lang : "fi");
	r = json_pack("{s:{s:s,s:s},s:s,s:O,s:O}", "error", "code",
	    "unavailable", "message", "the service is temporarily unavailable",
	    "lang", lang != NULL ? lang : "fi", "text",
	    text != NULL ? text : json_string(""), "texts", nv->unavailable);
	http_send_json(req, 503, r, NULL);
}

static void
api_chat(struct neuvo *nv, struct http_request *req, json_t *body)
{
	chat_handle(nv, req, body);
}

static int
api_opt_string(json_t *body, const char *key, size_t maxchars, const char **out)
{
	json_t *v = json_object_get(body, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    utf8_count(json_string_value(v), json_string_length(v)) > maxchars)
		return -1;
	*out = json_string_value(v);
	return 0;
}

/* The feedback form's fields; returns the error message or NULL. */
static const char *
api_feedback_form(json_t *body, json_int_t *rating, const char **comment,
    const char **lang, const char **session, const char **page)
{
	json_t *r = json_object_get(body, "rating");

	*rating = 0;
	if (r != NULL && !json_is_null(r)) {
		if (!json_is_integer(r) || json_integer_value(r) < 1 ||
		    json_integer_value(r) > 5)
			return "rating must be an integer from 1 to 5";
		*rating = json_integer_value(r);
	}
	if (api_opt_string(body, "comment", API_MAXCOMMENT, comment) == -1)
		return "comment must be a string of at most 2000 characters";
	if (*comment != NULL && *utf8_trim((char *)*comment) == '\0')
		*comment = NULL;
	if (*rating == 0 && *comment == NULL)
		return "give a rating or a comment";
	if (api_opt_string(body, "lang", 2, lang) == -1 ||
	    (*lang != NULL && !langid_valid(*lang)))
		return "lang must be one of fi, sv, en";
	if (api_opt_string(body, "session", 64, session) == -1 ||
	    (*session != NULL && !chat_session_valid(*session)))
		return "session must be 1-64 characters of [A-Za-z0-9_-]";
	if (api_opt_string(body, "page", 300, page) == -1)
		return "page must be a string of at most 300 characters";
	return NULL;
}

static void
api_rate(struct neuvo *nv, struct http_request *req, json_t *body)
{
	json_t *turn = json_object_get(body, "turn_id");
	json_t *helpful = json_object_get(body, "helpful");
	const char *p[2];
	PGresult *res;
	int found;

	if (!json_is_string(turn) || json_string_length(turn) != 36 ||
	    strspn(json_string_value(turn), "0123456789abcdef-") != 36 ||
	    !json_is_boolean(helpful)) {
		http_send_error(req, 400, "invalid_field",
		    "turn_id must be a "
		    "turn's id and helpful true or false",
		    NULL);
		return;
	}
	p[0] = json_string_value(turn);
	p[1] = json_is_true(helpful) ? "true" : "false";
	if ((res = db_exec(nv->db, DB_RATE, p)) == NULL) {
		api_unavailable(nv, req, NULL);
		return;
	}
	found = PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!found)
		http_send_error(req, 404, "not_found", "no such turn", NULL);
	else
		http_send_json(req, 201, json_pack("{s:b}", "ok", 1), NULL);
}

/* The page a form was sent from, without its query string or fragment
 * (they may carry anything) and redacted; newly allocated. */
static char *
api_page(const char *page)
{
	char *path, *red;

	if ((path = strndup(page, strcspn(page, "?#"))) == NULL)
		return NULL;
	red = redact_text(path, NULL);
	free(path);
	return red;
}

static void
api_feedback(struct neuvo *nv, struct http_request *req, json_t *body)
{
	const char *comment, *lang, *session, *page, *why, *p[5];
	char *red = NULL, *redpage = NULL, rbuf[4];
	json_int_t rating;
	PGresult *res = NULL;

	if (json_object_get(body, "turn_id") != NULL) {
		api_rate(nv, req, body);
		return;
	}
	why =
	    api_feedback_form(body, &rating, &comment, &lang, &session, &page);
	if (why != NULL) {
		http_send_error(req, 400, "invalid_field", why, NULL);
		return;
	}
	if ((comment != NULL && (red = redact_text(comment, NULL)) == NULL) ||
	    (page != NULL && (redpage = api_page(page)) == NULL))
		goto fail;
	snprintf(rbuf, sizeof(rbuf), "%d", (int)rating);
	p[0] = rating > 0 ? rbuf : NULL;
	p[1] = red;
	p[2] = lang;
	p[3] = session;
	p[4] = redpage;
	res = db_exec(nv->db, DB_FEEDBACK, p);
	if (res == NULL || PQntuples(res) != 1)
		goto fail;
	http_send_json(req, 201,
	    json_pack("{s:b,s:I}", "ok", 1, "id",
		(json_int_t)strtoll(PQgetvalue(res, 0, 0), NULL, 10)),
	    NULL);
	goto out;
fail:
	api_unavailable(nv, req, lang);
out:
	PQclear(res);
	free(red);
	free(redpage);
}

static void
api_topics(struct neuvo *nv, struct http_request *req, json_t *body)
{
	const char *p[1];
	char lang[8];
	PGresult *res;
	json_t *topics;

	(void)body;
	switch (http_query_param(req->query, "lang", lang, sizeof(lang))) {
	case 0: p[0] = "fi"; break;
	case 1: p[0] = lang; break;
	default:
		p[0] = ""; /* too long: not a language */
		break;
	}
	if (!langid_valid(p[0])) {
		http_send_error(req, 400, "invalid_field",
		    "lang must be one of fi, sv, en", NULL);
		return;
	}
	if ((res = db_exec(nv->db, DB_TOPICS, p)) == NULL) {
		api_unavailable(nv, req, p[0]);
		return;
	}
	topics = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	http_send_json(req, 200,
	    json_pack("{s:s,s:o}", "lang", p[0], "topics",
		topics != NULL ? topics : json_array()),
	    NULL);
}

static void
api_health(struct neuvo *nv, struct http_request *req, json_t *body)
{
	PGresult *res;

	(void)body;
	if ((res = db_exec(nv->db, DB_HEALTH, NULL)) == NULL) {
		http_send_json(req, 503,
		    json_pack("{s:s,s:s}", "status", "degraded", "db", "down"),
		    NULL);
		return;
	}
	PQclear(res);
	http_send_json(
	    req, 200, json_pack("{s:s,s:s}", "status", "ok", "db", "ok"), NULL);
}

/* Reads and parses a JSON object body; on failure the error is sent. */
static json_t *
api_body(struct neuvo *nv, struct http_request *req)
{
	json_t *body;
	json_error_t jerr;

	if (!http_is_json(req)) {
		http_send_error(req, 415, "unsupported_media_type",
		    "send Content-Type: application/json", NULL);
		return NULL;
	}
	switch (http_read_body(req, nv->cfg.max_body)) {
	case HTTP_READ_TOO_LARGE:
		http_send_error(req, 413, "body_too_large",
		    "the request body is too large", NULL);
		return NULL;
	case HTTP_READ_FAILED:
		http_send_error(req, 400, "invalid_json",
		    "the request body could not be read", NULL);
		return NULL;
	case HTTP_READ_OK: break;
	}
	if (!utf8_valid(req->body, req->body_len)) {
		http_send_error(req, 400, "invalid_json",
		    "the body is not valid UTF-8", NULL);
		return NULL;
	}
	body =
	    json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (body == NULL || !json_is_object(body)) {
		json_decref(body);
		http_send_error(req, 400, "invalid_json",
		    "the body must be a JSON object", NULL);
		return NULL;
	}
	return body;
}

void
api_handle(struct neuvo *nv, struct http_request *req)
{
	const struct api_route *r = NULL;
	json_t *body = NULL;
	char allow[64];
	size_t i;

	for (i = 0; i < sizeof(api_routes) / sizeof(api_routes[0]); i++)
		if (strcmp(req->path, api_routes[i].path) == 0)
			r = &api_routes[i];
	if (r == NULL) {
		http_send_error(
		    req, 404, "not_found", "no such endpoint", NULL);
		return;
	}
	if (strcmp(req->method, r->method) != 0 &&
	    !(strcmp(r->method, "GET") == 0 &&
		strcmp(req->method, "HEAD") == 0)) {
		snprintf(allow, sizeof(allow), "Allow: %s%s\r\n", r->method,
		    strcmp(r->method, "GET") == 0 ? ", HEAD" : "");
		http_send_error(req, 405, "method_not_allowed",
		    "method not allowed", allow);
		return;
	}
	if (r->body && (body = api_body(nv, req)) == NULL)
		return;
	r->fn(nv, req, body);
	json_decref(body);
}
