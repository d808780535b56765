/*
 * green.c - greenlets (issue 13). PLACEHOLDER from the foundation commit:
 * the coroutines helper replaces this file.
 */
#include "kernel.h"

void green_snapshot(const struct machine *m, struct snapshot *out)
{
    (void)m;
    (void)out;
}

const char *green_wchan(const struct machine *m, const struct task *t)
{
    (void)m;
    (void)t;
    return "hub";
}

bool green_exec(struct machine *m, struct task *t, const struct insn *in)
{
    machine_fail(m, in->pos, "not built yet");
    (void)t;
    return false;
}
