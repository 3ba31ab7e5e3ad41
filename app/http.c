/*
 * http.c: the FastCGI side of a request: parameters, a bounded body and
 * JSON replies.  libfcgi's own printf knows no %zu, so headers are
 * formatted with snprintf and written with FCGX_PutStr; the status line
 * carries its reason phrase, which nginx expects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "http.h"

static const char *
http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

static const char *
param(FCGX_Request *r, const char *name)
{
	const char *v = FCGX_GetParam(name, r->envp);

	return v != NULL ? v : "";
}

void
http_request_init(struct http_request *req, FCGX_Request *fcgx)
{
	const char *cl;
	long long n;

	memset(req, 0, sizeof(*req));
	req->fcgx = fcgx;
	req->method = param(fcgx, "REQUEST_METHOD");
	req->path = param(fcgx, "DOCUMENT_URI");
	if (*req->path == '\0')
		req->path = param(fcgx, "SCRIPT_NAME");
	req->query = param(fcgx, "QUERY_STRING");
	req->content_type = param(fcgx, "CONTENT_TYPE");
	cl = param(fcgx, "CONTENT_LENGTH");
	req->content_length = -1;
	if (*cl == '\0')
		req->content_length = 0;
	else if (config_parse_number(cl, 0, 1LL << 40, &n) == 0)
		req->content_length = n;
}

void
http_request_free(struct http_request *req)
{
	free(req->body);
	req->body = NULL;
}

/*
 * Reads the body when it fits in max bytes.  A larger declared length is
 * refused without reading it (nginx limits the size first anyway).
 */
enum http_read
http_read_body(struct http_request *req, long long max)
{
	int n;

	if (req->content_length < 0 || req->content_length > max)
		return HTTP_READ_TOO_LARGE;
	if ((req->body = malloc((size_t)req->content_length + 1)) == NULL)
		return HTTP_READ_FAILED;
	n = FCGX_GetStr(req->body, (int)req->content_length, req->fcgx->in);
	if (n != req->content_length)
		return HTTP_READ_FAILED;
	req->body[n] = '\0';
	req->body_len = (size_t)n;
	return HTTP_READ_OK;
}

int
http_is_json(const struct http_request *req)
{
	const char *ct = req->content_type;
	size_t n = strlen("application/json");

	return strncasecmp(ct, "application/json", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Sends reply (stealing the reference) with extra header lines, if any. */
void
http_send_json(
    struct http_request *req, int status, json_t *reply, const char *extra)
{
	char head[512], *body;
	size_t len;

	body = json_dumps(reply, JSON_COMPACT | JSON_REAL_PRECISION(6));
	json_decref(reply);
	if (body == NULL) {
		status = 500;
		body = strdup("{\"error\":{\"code\":\"internal\","
			      "\"message\":\"out of memory\"}}");
	}
	len = body != NULL ? strlen(body) : 0;
	snprintf(head, sizeof(head),
	    "Status: %d %s\r\n"
	    "Content-Type: application/json; charset=utf-8\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: %zu\r\n%s\r\n",
	    status, http_reason(status), len, extra != NULL ? extra : "");
	FCGX_PutStr(head, (int)strlen(head), req->fcgx->out);
	if (len > 0)
		FCGX_PutStr(body, (int)len, req->fcgx->out);
	free(body);
	req->status = status;
}

/* The contract's error body; extra carries e.g. an Allow header. */
void
http_send_error(struct http_request *req, int status, const char *code,
    const char *message, const char *extra)
{
	json_t *r;

	r = json_pack(
	    "{s:{s:s,s:s}}", "error", "code", code, "message", message);
	http_send_json(req, status, r, extra);
}

/* The value of name in a query string into out: 1 when found, 0 when
 * absent, -1 when longer than out can hold (never silently cut). */
int
http_query_param(const char *query, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name), vlen;
	const char *p = query;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			p += nlen + 1;
			vlen = strcspn(p, "&");
			if (vlen >= outlen)
				return -1;
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return 1;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
	return 0;
}
