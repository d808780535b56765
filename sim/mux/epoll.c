/*
 * epoll.c - epoll instances (issue 13). PLACEHOLDER from the foundation
 * commit: the multiplexing helper replaces this file. No fd can name an
 * epoll instance yet, so no FW_EPOLL watch exists.
 */
#include "kernel.h"

const struct file_ops epoll_file_ops = { .name = "epoll" };

void epoll_fired(struct machine *m, int w)
{
    (void)m;
    (void)w;
}

void epoll_dropped(struct machine *m, int w)
{
    (void)m;
    (void)w;
}

void mux_snapshot(const struct machine *m, struct snapshot *out)
{
    (void)m;
    (void)out;
}

const char *mux_wchan(const struct machine *m, const struct task *t)
{
    (void)m;
    (void)t;
    return "poll";
}

bool mux_exec(struct machine *m, struct task *t, const struct insn *in)
{
    machine_fail(m, in->pos, "not built yet");
    (void)t;
    return false;
}
