/* SIGCHLD ignored: children are reaped as they exit. A child that has
 * exited is gone at once (waitpid on it fails with ECHILD instead of
 * returning a zombie), and a blocking wait() waits for the children still
 * running, then fails with ECHILD. */
#include "real.h"

int main(void)
{
    int done[2], go[2];
    chan(done);
    chan(go);
    signal(SIGCHLD, SIG_IGN);

    pid_t quick = xfork();
    if (quick == 0)
        _exit(3);
    /* Poll the quick child until it is no longer running. With a zombie
     * this would return its pid; ignored SIGCHLD leaves nothing. */
    pid_t r;
    while ((r = waitpid(quick, NULL, WNOHANG)) == 0) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    if (r < 0 && errno == ECHILD)
        say("waitpid on exited child returned -1 ECHILD");
    else
        say("waitpid on exited child returned its pid (a zombie)");
    say(kill(quick, 0) < 0 && errno == ESRCH ? "no zombie" : "zombie remains");

    /* A slower child: still running when wait() starts, so wait blocks
     * until it exits, and then has nothing to return. */
    pid_t slow = xfork();
    if (slow == 0) {
        await(go);
        _exit(4);
    }
    pid_t helper = xfork();       /* releases slow once we are in wait() */
    if (helper == 0) {
        await_state(getppid(), 'S');
        post(go);
        _exit(0);
    }
    errno = 0;
    r = wait(NULL);
    say("wait returned %d %s", (int)r, errno == ECHILD ? "ECHILD" : strerror(errno));
    return 0;
}
