/* setsid(2): a process group leader cannot start a session (EPERM), which
 * is why a daemon forks first; the child that calls it leads a new session
 * and a new group, and has no controlling terminal any more (tcgetpgrp:
 * ENOTTY). Its parent can no longer move it to a group (EPERM: another
 * session).
 *
 * A "shell" gets a pseudo-terminal as its controlling terminal (setsid +
 * TIOCSCTTY), as the simulator's jobs have the terminal; it leads a group,
 * so its own setsid fails. */
#include "real.h"

#include <fcntl.h>
#include <sys/ioctl.h>

static int result(int r) { return r < 0 ? -errno : r; }

static void shell(const char *name)
{
    if (setsid() < 0)
        die("setsid");
    int tty = open(name, O_RDWR);
    if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
        die("open the terminal");
    say("shell: setsid returns %d", result(setsid()));
    int ready[2], go[2];
    chan(ready);
    chan(go);
    pid_t d = xfork();
    if (d == 0) {
        say("daemon: has the terminal: %s", tcgetpgrp(tty) > 0 ? "yes" : "no");
        pid_t s = setsid();
        say("daemon: setsid returns its pid: %s", s == getpid() ? "yes" : "no");
        say("daemon: leads its session and its group: %s",
            getsid(0) == getpid() && getpgrp() == getpid() ? "yes" : "no");
        say("daemon: tcgetpgrp returns %d", result(tcgetpgrp(tty)));
        say("daemon: tcsetpgrp returns %d", result(tcsetpgrp(tty, getpgrp())));
        post(ready);
        await(go);
        _exit(0);
    }
    await(ready);
    say("shell: the daemon leads a session: %s", getsid(d) == d ? "yes" : "no");
    say("shell: setpgid(daemon, daemon) returns %d", result(setpgid(d, d)));
    say("shell: setpgid(daemon, my group) returns %d", result(setpgid(d, getpgrp())));
    post(go);
    int st;
    if (xwaitpid(d, &st, 0) != d)
        die("waitpid");
    _exit(0);
}

int main(void)
{
    int pty = posix_openpt(O_RDWR | O_NOCTTY);
    if (pty < 0 || grantpt(pty) < 0 || unlockpt(pty) < 0)
        die("posix_openpt");
    pid_t s = xfork();
    if (s == 0)
        shell(ptsname(pty));
    int st;
    if (xwaitpid(s, &st, 0) != s || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        unexpected("the shell failed");
    return 0;
}
