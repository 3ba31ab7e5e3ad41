/*
 * log.c: logging.  Each line is written with one write(2) so that lines
 * of several workers sharing stderr never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_names[] = {"debug", "info", "warn", "error"};
static char log_role[32] = "neuvo";
static enum log_level log_min = LOG_INFO;

void
log_init(const char *role, int id)
{
	if (id >= 0)
		snprintf(log_role, sizeof(log_role), "%s %d", role, id);
	else
		snprintf(log_role, sizeof(log_role), "%s", role);
}

void
log_set_level(enum log_level l)
{
	log_min = l;
}

int
log_parse_level(const char *s, enum log_level *l)
{
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(s, log_names[i]) == 0) {
			*l = (enum log_level)i;
			return 0;
		}
	return -1;
}

void
log_msg(enum log_level l, const char *func, const char *fmt, ...)
{
	char line[1024], ts[32];
	struct tm tm;
	time_t now;
	va_list ap;
	int n, m;

	if (l < log_min)
		return;
	now = time(NULL);
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line), "%s %s [%s pid %ld] %s: ", ts,
	    log_names[l], log_role, (long)getpid(), func);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
}
