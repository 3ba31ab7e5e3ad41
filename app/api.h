/*
 * api.h: the routes of the HTTP contract (../shared/api.md).
 */
#ifndef NEUVO_API_H
#define NEUVO_API_H

struct neuvo;
struct http_request;

void api_handle(struct neuvo *, struct http_request *);
void api_unavailable(struct neuvo *, struct http_request *, const char *);

#endif
