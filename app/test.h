/*
 * test.h: a tiny unit-test harness in the spirit of redis' testhelp.h.
 * Each test program calls TEST_CHECK() and ends with TEST_REPORT(), which
 * prints "N passed, N failed" and returns the exit status.
 */
#ifndef NEUVO_TEST_H
#define NEUVO_TEST_H

#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;

#define TEST_CHECK(cond)                                                       \
	do {                                                                   \
		if (cond) {                                                    \
			test_passed++;                                         \
		} else {                                                       \
			test_failed++;                                         \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__,          \
			    __LINE__, #cond);                                  \
		}                                                              \
	} while (0)

#define TEST_STREQ(got, want)                                                  \
	do {                                                                   \
		const char *g_ = (got), *w_ = (want);                          \
		if (g_ != NULL && strcmp(g_, w_) == 0) {                       \
			test_passed++;                                         \
		} else {                                                       \
			test_failed++;                                         \
			fprintf(stderr,                                        \
			    "FAIL %s:%d: got \"%s\", want \"%s\"\n", __FILE__, \
			    __LINE__, g_ ? g_ : "(null)", w_);                 \
		}                                                              \
	} while (0)

#define TEST_REPORT()                                                          \
	(printf("%s: %d passed, %d failed\n", __FILE__, test_passed,           \
	     test_failed),                                                     \
	    test_failed ? 1 : 0)

#endif
