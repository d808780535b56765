/* POSIX's orphaned process group rule (kernel/exit.c kill_orphaned_pgrp):
 * when a process group becomes orphaned (no member has a parent in another
 * group of the same session) while a member is stopped, every member gets
 * SIGHUP and then SIGCONT; and terminal stop signals (SIGTSTP) do nothing
 * in an orphaned group.
 *
 * A middle process makes a group of its own and forks a grandchild into
 * it; the grandchild stops itself with SIGTSTP (the group is not orphaned
 * yet: the middle's parent is in another group of the session). The middle
 * exits: the grandchild goes to init, outside the session, and its group is
 * orphaned. The test runs in a session of its own (setsid), so that no
 * reaper of the machine it runs on is in that session. */
#include "real.h"

static int done[2];

static void on_hup(int sig)
{
    (void)sig;
    say("grandchild got SIGHUP");
}

static void grandchild(void)
{
    on(SIGHUP, on_hup);
    raise(SIGTSTP);
    say("grandchild continued");
    raise(SIGTSTP);
    say("grandchild: SIGTSTP did nothing, its group is orphaned");
    post(done);
    _exit(0);
}

static void middle(void)
{
    if (setpgid(0, 0) < 0)
        die("setpgid");
    pid_t g = xfork();
    if (g == 0)
        grandchild();
    int st;
    if (xwaitpid(g, &st, WUNTRACED) == g && WIFSTOPPED(st))
        say("middle: grandchild stopped by %d", WSTOPSIG(st));
    _exit(0);
}

int main(void)
{
    chan(done);
    pid_t t = xfork();
    if (t == 0) {
        if (setsid() < 0)
            die("setsid");
        pid_t m = xfork();
        if (m == 0)
            middle();
        int st;
        if (xwaitpid(m, &st, 0) != m)
            die("waitpid");
        await(done);
        _exit(0);
    }
    int st;
    if (xwaitpid(t, &st, 0) != t || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        unexpected("the test process failed");
    return 0;
}
