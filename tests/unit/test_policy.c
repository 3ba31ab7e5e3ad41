/*
 * test_policy.c: the turn policy and the configuration parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test.h"
#include "turn.h"

static const struct turn_policy pol = {0.5, 0.25, 0.1, 3};

static void
test_decide(void)
{
	struct turn_candidate c[4] = {
	    {7, 0.9, 0}, {8, 0.3, 0}, {9, 0.26, 0}, {10, 0.1, 0}};
	struct turn_decision d;

	turn_decide(&pol, c, 4, &d);
	TEST_CHECK(d.kind == TURN_ANSWER && d.answer_id == 7);
	turn_decide(&pol, c, 0, &d);
	TEST_CHECK(d.kind == TURN_FALLBACK && d.answer_id == 0);
	c[0].score = 0.2; /* below the clarify threshold */
	turn_decide(&pol, c, 1, &d);
	TEST_CHECK(d.kind == TURN_FALLBACK);
	c[0].score = 0.4; /* half sure: offer choices */
	turn_decide(&pol, c, 4, &d);
	TEST_CHECK(d.kind == TURN_CLARIFY && d.nsuggestion == 3 &&
	    d.suggestion[0] == 7 && d.suggestion[2] == 9);
	c[0].score = 0.55; /* sure, but the next is too close */
	c[1].score = 0.5;
	turn_decide(&pol, c, 4, &d);
	TEST_CHECK(d.kind == TURN_CLARIFY && d.answer_id == 0);
	c[0].smalltalk = c[1].smalltalk = 1; /* hello or bye: either */
	turn_decide(&pol, c, 4, &d);
	TEST_CHECK(d.kind == TURN_ANSWER && d.answer_id == 7);
}

static void
test_choice(void)
{
	TEST_CHECK(turn_choice("2") == 2);
	TEST_CHECK(turn_choice(" 3. ") == 3);
	TEST_CHECK(turn_choice("1)") == 1);
	TEST_CHECK(turn_choice("0") == 0);
	TEST_CHECK(turn_choice("12") == 0);
	TEST_CHECK(turn_choice("2 kertaa") == 0);
	TEST_CHECK(turn_choice("") == 0);
}

static int
load(const char *text, char *err, size_t len)
{
	struct config c;
	char path[] = "/tmp/neuvo-test-conf.XXXXXX";
	int fd, rc;
	FILE *fp;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return -2;
	fputs(text, fp);
	fclose(fp);
	config_defaults(&c);
	rc = config_load(&c, path, err, len);
	unlink(path);
	return rc;
}

static void
test_config(void)
{
	char err[512];
	long long n;

	TEST_CHECK(load("# comment\nworkers = 4\nlisten = 127.0.0.1:9000\n",
		       err, sizeof(err)) == 0);
	TEST_CHECK(load("workers = 0\n", err, sizeof(err)) == -1 &&
	    strstr(err, ":1: bad value for workers") != NULL);
	TEST_CHECK(load("\nworkers = abc\n", err, sizeof(err)) == -1 &&
	    strstr(err, ":2:") != NULL);
	TEST_CHECK(
	    load("workers = 99999999999999999999\n", err, sizeof(err)) == -1);
	TEST_CHECK(load("colour = blue\n", err, sizeof(err)) == -1 &&
	    strstr(err, "unknown key \"colour\"") != NULL);
	TEST_CHECK(load("just words\n", err, sizeof(err)) == -1 &&
	    strstr(err, "expected key = value") != NULL);
	TEST_CHECK(load("socket_mode = 999\n", err, sizeof(err)) == -1);
	TEST_CHECK(load("socket_mode = 0660\n", err, sizeof(err)) == 0);
	TEST_CHECK(load("answer_threshold = 1.5\n", err, sizeof(err)) == -1);
	TEST_CHECK(load("answer_threshold = 0.2\nclarify_threshold = 0.3\n",
		       err, sizeof(err)) == -1 &&
	    strstr(err, "clarify_threshold") != NULL);
	TEST_CHECK(load("log_level = loud\n", err, sizeof(err)) == -1);
	TEST_CHECK(config_parse_number("42", 1, 64, &n) == 0 && n == 42);
	TEST_CHECK(config_parse_number("42x", 1, 64, &n) == -1);
	TEST_CHECK(config_parse_number("", 1, 64, &n) == -1);
	TEST_CHECK(config_parse_number("-1", 0, 64, &n) == -1);
}

int
main(void)
{
	test_decide();
	test_choice();
	test_config();
	return TEST_REPORT();
}
