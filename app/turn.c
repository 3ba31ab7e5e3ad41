/*
 * turn.c: deciding what to say.  Neuvo never guesses: a clear best answer
 * is given; candidates too close to call, or a best answer that is only
 * half sure, become quick replies to choose from; nothing good enough
 * becomes the honest fallback.  The thresholds come from the
 * configuration and are calibrated on the evaluation set
 * (docs/retrieval.md).
 */
#include <ctype.h>

#include "turn.h"

static void
turn_suggest(const struct turn_policy *p, const struct turn_candidate *c,
    size_t n, struct turn_decision *d)
{
	size_t i;

	d->kind = TURN_CLARIFY;
	d->nsuggestion = 0;
	for (i = 0; i < n && d->nsuggestion < p->clarify_max &&
	     d->nsuggestion < TURN_MAXCAND;
	     i++)
		if (c[i].score >= p->clarify_threshold)
			d->suggestion[d->nsuggestion++] = c[i].id;
}

/* Candidates come best first. */
void
turn_decide(const struct turn_policy *p, const struct turn_candidate *c,
    size_t n, struct turn_decision *d)
{
	d->answer_id = 0;
	d->nsuggestion = 0;
	d->score = n > 0 ? c[0].score : 0.0;
	if (n == 0 || c[0].score < p->clarify_threshold) {
		d->kind = TURN_FALLBACK;
		return;
	}
	/* Above 1 is an exact title, a quick reply chosen; "moi" is both
	 * hello and bye: either is a fine small-talk reply. */
	if (c[0].score > 1.0 ||
	    (c[0].score >= p->answer_threshold &&
		(n == 1 || c[0].score - c[1].score >= p->margin ||
		    (c[0].smalltalk && c[1].smalltalk)))) {
		d->kind = TURN_ANSWER;
		d->answer_id = c[0].id;
		return;
	}
	turn_suggest(p, c, n, d);
}

/* "2" or " 2. " picks the second quick reply; returns 1..9 or 0. */
int
turn_choice(const char *msg)
{
	int choice = 0;

	while (isspace((unsigned char)*msg))
		msg++;
	if (*msg >= '1' && *msg <= '9')
		choice = *msg++ - '0';
	if (*msg == '.' || *msg == ')')
		msg++;
	while (isspace((unsigned char)*msg))
		msg++;
	return *msg == '\0' ? choice : 0;
}
