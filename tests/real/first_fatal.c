/* The first fatal signal decides (complete_signal in kernel/signal.c): a
 * signal whose default action is to terminate, sent to a process with a
 * thread that wants it, starts the group exit with that signal's number at
 * once; a signal sent afterwards is dropped (prepare_signal). So SIGTERM
 * then SIGKILL kills with 15, SIGKILL then SIGINT with 9, although the
 * kernel takes pending signals lowest number first. A blocked SIGTERM does
 * not decide: the SIGINT after it does. */
#include <stdbool.h>

#include "real.h"

static pid_t pauser(bool block_term)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        if (block_term)
            set_block(SIG_BLOCK, SIGTERM);
        post(ready);
        for (;;)
            pause();
    }
    await(ready);
    await_state(c, 'S');
    return c;
}

static void two(const char *who, bool block_term, int first, int second)
{
    int st;
    pid_t c = pauser(block_term);
    kill(c, first);
    kill(c, second);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report(who, st);
}

int main(void)
{
    two("SIGTERM then SIGKILL: child", false, SIGTERM, SIGKILL);
    two("SIGKILL then SIGINT: child", false, SIGKILL, SIGINT);
    two("SIGTERM blocked, then SIGINT: child", true, SIGTERM, SIGINT);
    return 0;
}
