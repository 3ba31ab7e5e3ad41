/*
 * config.c: reads the configuration.  Every key is in one table with its
 * type and bounds; an error names the file and line.  The database
 * connection string may instead come from NEUVO_DB so that no secret has
 * to live in a file of the repository.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

enum cfg_type { CFG_STR, CFG_INT, CFG_OCTAL, CFG_REAL, CFG_LEVEL };

struct cfg_key {
	const char *name;
	enum cfg_type type;
	size_t off;
	size_t size;
	double min, max;
};

#define STR(n)                                                                 \
	{                                                                      \
#n, CFG_STR, offsetof(struct config, n),                       \
		    sizeof(((struct config *)0)->n), 0, 0                      \
	}
#define INT(n, lo, hi)                                                         \
	{                                                                      \
#n, CFG_INT, offsetof(struct config, n), 0, lo, hi             \
	}
#define REAL(n, lo, hi)                                                        \
	{                                                                      \
#n, CFG_REAL, offsetof(struct config, n), 0, lo, hi            \
	}

static const struct cfg_key cfg_keys[] = {
    STR(listen),
    {"socket_mode", CFG_OCTAL, offsetof(struct config, socket_mode), 0, 0,
	0777},
    INT(workers, 1, 64),
    INT(max_requests, 0, 100000000),
    INT(shutdown_timeout, 1, 300),
    INT(max_body, 1024, 1048576),
    STR(db),
    STR(db_user),
    STR(lang_dir),
    STR(unavailable_file),
    {"log_level", CFG_LEVEL, offsetof(struct config, log_level), 0, 0, 0},
    REAL(answer_threshold, 0, 1),
    REAL(clarify_threshold, 0, 1),
    REAL(answer_margin, 0, 1),
    REAL(vague_margin, 0, 1),
    INT(clarify_max, 1, 5),
};

static int config_set(struct config *, const struct cfg_key *, const char *);
static char *trim(char *);

void
config_defaults(struct config *c)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "var/run/neuvo.sock");
	c->socket_mode = 0660;
	c->workers = n < 1 ? 2 : (n > 64 ? 64 : n);
	c->max_requests = 10000;
	c->shutdown_timeout = 10;
	c->max_body = 16384;
	snprintf(c->lang_dir, sizeof(c->lang_dir), "conf/lang");
	snprintf(c->unavailable_file, sizeof(c->unavailable_file),
	    "conf/unavailable.json");
	c->log_level = LOG_INFO;
	c->answer_threshold = 0.5;
	c->clarify_threshold = 0.25;
	c->answer_margin = 0.1;
	c->vague_margin = 0.1;
	c->clarify_max = 3;
}

/* strtonum in spirit: the whole string, within bounds, or an error. */
int
config_parse_number(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (s[0] == '\0' || *end != '\0' || errno == ERANGE || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
config_set(struct config *c, const struct cfg_key *k, const char *v)
{
	char *p = (char *)c + k->off, *end;
	long long n;
	double d;

	switch (k->type) {
	case CFG_STR:
		if (strlen(v) >= k->size)
			return -1;
		memcpy(p, v, strlen(v) + 1);
		return 0;
	case CFG_INT:
		if (config_parse_number(
			v, (long long)k->min, (long long)k->max, &n) == -1)
			return -1;
		memcpy(p, &n, sizeof(n));
		return 0;
	case CFG_OCTAL:
		errno = 0;
		n = strtoll(v, &end, 8);
		if (*v == '\0' || *end != '\0' || errno != 0 || n < 0 ||
		    n > (long long)k->max)
			return -1;
		memcpy(p, &n, sizeof(n));
		return 0;
	case CFG_REAL:
		errno = 0;
		d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0 || d < k->min ||
		    d > k->max)
			return -1;
		memcpy(p, &d, sizeof(d));
		return 0;
	case CFG_LEVEL: return log_parse_level(v, (enum log_level *)(void *)p);
	}
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
		*--e = '\0';
	return s;
}

static const struct cfg_key *
config_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
		if (strcmp(cfg_keys[i].name, name) == 0)
			return &cfg_keys[i];
	return NULL;
}

/*
 * Loads path over the defaults already in c.  Returns 0, or -1 with err
 * naming the file, the line and what is wrong.
 */
int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	const struct cfg_key *k;
	char line[1400], *key, *val, *eq;
	const char *env;
	FILE *fp;
	int lineno = 0, rc = 0;

	if (path != NULL && (fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (path != NULL && rc == 0 && fgets(line, sizeof(line), fp)) {
		lineno++;
		key = trim(line);
		if (*key == '#' || *key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected key = value",
			    path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		if ((k = config_find(key)) == NULL) {
			snprintf(err, errlen, "%s:%d: unknown key \"%s\"", path,
			    lineno, key);
			rc = -1;
		} else if (config_set(c, k, val) == -1) {
			snprintf(err, errlen, "%s:%d: bad value for %s", path,
			    lineno, key);
			rc = -1;
		}
	}
	if (path != NULL)
		fclose(fp);
	if (rc == 0 && (env = getenv("NEUVO_DB")) != NULL && *env != '\0') {
		if (strlen(env) >= sizeof(c->db)) {
			snprintf(err, errlen, "NEUVO_DB: too long");
			return -1;
		}
		snprintf(c->db, sizeof(c->db), "%s", env);
	}
	if (rc == 0 && c->clarify_threshold > c->answer_threshold) {
		snprintf(err, errlen,
		    "%s: clarify_threshold is above "
		    "answer_threshold",
		    path ? path : "config");
		rc = -1;
	}
	return rc;
}
