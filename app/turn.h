/*
 * turn.h: the turn policy, pure: from ranked candidates to the kind of
 * reply.  No database, no socket: a unit test calls it directly.
 */
#ifndef NEUVO_TURN_H
#define NEUVO_TURN_H

#include <stddef.h>

#define TURN_MAXCAND 8

enum turn_kind { TURN_ANSWER, TURN_CLARIFY, TURN_FALLBACK };

struct turn_candidate {
	int id;
	double score;
	int smalltalk; /* greetings compete with nothing but themselves */
};

struct turn_policy {
	double answer_threshold;
	double clarify_threshold;
	double margin; /* the lead the best needs over the next */
	size_t clarify_max;
};

struct turn_decision {
	enum turn_kind kind;
	int answer_id;
	int suggestion[TURN_MAXCAND];
	size_t nsuggestion;
	double score;
};

void turn_decide(const struct turn_policy *, const struct turn_candidate *,
    size_t, struct turn_decision *);
int turn_choice(const char *);

#endif
