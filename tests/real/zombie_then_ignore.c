/* Setting SIGCHLD to SIG_IGN does not reap a child that is already a
 * zombie: it stays Z, and wait() still returns it with its status. */
#include "real.h"

int main(void)
{
    pid_t c = xfork();
    if (c == 0)
        _exit(6);
    await_state(c, 'Z');
    signal(SIGCHLD, SIG_IGN);
    if (proc_state(c) != 'Z')
        unexpected("the zombie went away when SIGCHLD was ignored");
    int st;
    errno = 0;
    pid_t r = wait(&st);
    if (r == c)
        report("wait returned the zombie, which", st);
    else
        say("wait returned %d %s", (int)r, strerror(errno));
    return 0;
}
