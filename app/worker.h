/*
 * worker.h: a FastCGI worker process.
 */
#ifndef NEUVO_WORKER_H
#define NEUVO_WORKER_H

struct neuvo;

void worker_main(struct neuvo *, int, int) __attribute__((noreturn));

#endif
