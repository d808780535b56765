/* Several signals pending at once are all delivered at the same return to
 * user mode: Linux dequeues the lowest number first and sets up its handler
 * frame, then the next on top of it, before any handler code runs. So the
 * highest-numbered handler runs first, to completion, then the next lower
 * one. Here a child busy computing is stopped, gets SIGTERM, SIGUSR2 and
 * SIGUSR1 (all with handlers, none blocked), and is continued. */
#include "real.h"

static volatile sig_atomic_t done;

static void h(int sig)
{
    say("handler for %d starts", sig);
    say("handler for %d ends", sig);
    if (sig == SIGUSR1)
        done = 1;
}

int main(void)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        on(SIGUSR1, h);
        on(SIGUSR2, h);
        on(SIGTERM, h);
        post(ready);
        while (!done)             /* computing */
            ;
        say("computation goes on");
        _exit(0);
    }
    await(ready);
    int st;
    stop_child(c, SIGSTOP);
    kill(c, SIGTERM);
    kill(c, SIGUSR2);
    kill(c, SIGUSR1);
    kill(c, SIGCONT);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    return 0;
}
