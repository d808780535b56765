/*
 * socket.c - sockets (issue 13). PLACEHOLDER from the foundation commit:
 * the sockets helper replaces this file. No fd can name a socket yet.
 */
#include "kernel.h"

const struct file_ops sock_file_ops = { .name = "socket" };

void sockets_snapshot(const struct machine *m, struct snapshot *out)
{
    (void)m;
    (void)out;
}

const char *sock_wchan(const struct machine *m, const struct task *t)
{
    (void)m;
    (void)t;
    return "socket";
}

bool sock_exec(struct machine *m, struct task *t, const struct insn *in)
{
    machine_fail(m, in->pos, "not built yet");
    (void)t;
    return false;
}
