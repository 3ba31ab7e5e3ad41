/*
 * worker.h: a FastCGI worker process.
 */
#ifndef NEUVO_WORKER_H
#define NEUVO_WORKER_H

#include <sys/types.h>

struct neuvo;

void worker_main(struct neuvo *, int, int, pid_t) __attribute__((noreturn));

#endif
