/*
 * chat.h: POST /api/chat, one chat turn.
 */
#ifndef NEUVO_CHAT_H
#define NEUVO_CHAT_H

#include <jansson.h>

struct neuvo;
struct http_request;

void chat_handle(struct neuvo *, struct http_request *, json_t *);
int chat_session_valid(const char *);

#endif
