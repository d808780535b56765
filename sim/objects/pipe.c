/*
 * pipe.c - pipes and the file descriptors that name their ends (issue 11;
 * pipe(7), multiprocessing.Pipe).
 */
#include "kernel.h"
#include "snapshot.h"

/* Values held by pipes (garbage collection roots). */
void pipes_mark(struct machine *m)
{
    (void)m;
}

/* The pipes and every process's pipe fds, for front ends. */
void pipes_snapshot(const struct machine *m, struct snapshot *out)
{
    (void)m;
    out->nfds = 0;
}
