/*
 * log.h: one line per event on stderr, with level, process role and
 * function.  Never pass a citizen's raw message or a connection string.
 */
#ifndef NEUVO_LOG_H
#define NEUVO_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_init(const char *, int);
void log_set_level(enum log_level);
int log_parse_level(const char *, enum log_level *);
void log_msg(enum log_level, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_DEBUG, __func__, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __func__, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __func__, __VA_ARGS__)

#endif
