/*
 * master.h: the prefork master that supervises the workers.
 */
#ifndef NEUVO_MASTER_H
#define NEUVO_MASTER_H

struct neuvo;

int master_run(struct neuvo *, const char *, int);
int master_listen(const char *, int, char *, size_t);

#endif
