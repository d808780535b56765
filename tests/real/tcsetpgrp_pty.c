/* The terminal's foreground process group, on a real pseudo-terminal.
 *
 * A "shell" starts a session on the pty (setsid + TIOCSCTTY), puts a job
 * in a group of its own (setpgid) and gives it the terminal (tcsetpgrp).
 * Ctrl-Z typed on the terminal (written to the pty's master side) stops
 * the job and not the shell; waitpid untraced reports it. The shell, now
 * in the background, takes the terminal back: it ignores SIGTTOU, as
 * shells do. The job, continued in the background, calls tcsetpgrp itself
 * and gets SIGTTOU (it stops); once the shell makes it the foreground and
 * continues it, its call goes through. Ctrl-\ then kills it with SIGQUIT.
 * Also: tcsetpgrp to a group that does not exist (ESRCH) or that is in
 * another session (init's: EPERM). */
#include "real.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

static int keys[2];            /* shell/job -> main: "type the next key" */

static int result(int r) { return r < 0 ? -errno : r; }

static pid_t no_such_pid(void)
{
    FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
    long max = 32768;
    if (f) {
        if (fscanf(f, "%ld", &max) != 1)
            max = 32768;
        fclose(f);
    }
    return (pid_t)max;
}

static void job(int tty, int go[2])
{
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_CORE, &none);       /* SIGQUIT dumps no core here */
    setpgid(0, 0);
    await(go);                           /* stopped by Ctrl-Z meanwhile */
    int r = result(tcsetpgrp(tty, getpgrp()));  /* SIGTTOU first */
    say("job: its tcsetpgrp went through after SIGTTOU, returns %d", r);
    post(keys);                          /* Ctrl-\ */
    for (;;)
        pause();
}

static void shell(const char *name)
{
    if (setsid() < 0)
        die("setsid");
    int tty = open(name, O_RDWR);
    if (tty < 0 || ioctl(tty, TIOCSCTTY, 0) < 0)
        die("open the terminal");
    say("shell leads the foreground group: %s", tcgetpgrp(tty) == getpgrp() ? "yes" : "no");
    int go[2];
    chan(go);
    pid_t j = xfork();
    if (j == 0)
        job(tty, go);
    setpgid(j, j);
    say("tcsetpgrp(no such group) returns %d", result(tcsetpgrp(tty, no_such_pid())));
    say("tcsetpgrp(init's group) returns %d", result(tcsetpgrp(tty, 1)));
    say("tcsetpgrp(job) returns %d", result(tcsetpgrp(tty, j)));
    say("the job is the foreground: %s", tcgetpgrp(tty) == j ? "yes" : "no");
    post(keys);                          /* Ctrl-Z */
    int st;
    if (xwaitpid(j, &st, WUNTRACED) == j && WIFSTOPPED(st))
        say("job stopped by %d", WSTOPSIG(st));
    signal(SIGTTOU, SIG_IGN);
    say("shell takes the terminal back: tcsetpgrp returns %d",
        result(tcsetpgrp(tty, getpgrp())));
    kill(-j, SIGCONT);
    if (xwaitpid(j, &st, WCONTINUED) == j && WIFCONTINUED(st))
        say("job continued in the background");
    post(go);
    if (xwaitpid(j, &st, WUNTRACED) == j && WIFSTOPPED(st))
        say("job stopped by %d", WSTOPSIG(st));
    say("tcsetpgrp(job) returns %d", result(tcsetpgrp(tty, j)));
    kill(-j, SIGCONT);
    if (xwaitpid(j, &st, 0) == j && WIFSIGNALED(st))
        say("job killed by %d", WTERMSIG(st));
    _exit(0);
}

int main(void)
{
    int pty = posix_openpt(O_RDWR | O_NOCTTY);
    if (pty < 0 || grantpt(pty) < 0 || unlockpt(pty) < 0)
        die("posix_openpt");
    chan(keys);
    pid_t s = xfork();
    if (s == 0)
        shell(ptsname(pty));
    await(keys);
    if (write(pty, "\x1a", 1) != 1)      /* Ctrl-Z */
        die("write");
    await(keys);
    if (write(pty, "\x1c", 1) != 1)      /* Ctrl-\ */
        die("write");
    int st;
    if (xwaitpid(s, &st, 0) != s || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        unexpected("the shell failed");
    return 0;
}
