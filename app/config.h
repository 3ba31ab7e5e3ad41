/*
 * config.h: the service configuration, a small "key = value" file.
 */
#ifndef NEUVO_CONFIG_H
#define NEUVO_CONFIG_H

#include <stddef.h>

#include "log.h"

struct config {
	char listen[256];
	long long socket_mode;
	long long workers;
	long long max_requests;
	long long shutdown_timeout;
	long long max_body;
	char db[1024];
	char db_user[64];
	char lang_dir[256];
	char unavailable_file[256];
	enum log_level log_level;
	double answer_threshold;
	double clarify_threshold;
	double answer_margin;
	double vague_margin;
	long long clarify_max;
};

void config_defaults(struct config *);
int config_load(struct config *, const char *, char *, size_t);
int config_parse_number(const char *, long long, long long, long long *);

#endif
