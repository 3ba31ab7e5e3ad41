/*
 * http.h: one request as the worker sees it, and the replies it sends.
 */
#ifndef NEUVO_HTTP_H
#define NEUVO_HTTP_H

#include <stddef.h>

#include <fcgiapp.h>
#include <jansson.h>

struct http_request {
	FCGX_Request *fcgx;
	const char *method;
	const char *path;
	const char *query;
	const char *content_type;
	long long content_length;
	char *body;
	size_t body_len;
	int status; /* what was sent, for the log */
};

enum http_read { HTTP_READ_OK, HTTP_READ_TOO_LARGE, HTTP_READ_FAILED };

void http_request_init(struct http_request *, FCGX_Request *);
void http_request_free(struct http_request *);
enum http_read http_read_body(struct http_request *, long long);
int http_is_json(const struct http_request *);
void http_send_json(struct http_request *, int, json_t *, const char *);
void http_send_error(
    struct http_request *, int, const char *, const char *, const char *);
int http_query_param(const char *, const char *, char *, size_t);

#endif
