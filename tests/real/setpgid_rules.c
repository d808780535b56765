/* setpgid(2)'s rules (kernel/sys.c): a process may move itself, or a child
 * until the child execs (EACCES); anyone else is ESRCH; the group must be
 * the process's own new one or exist in the caller's session (EPERM); a
 * negative group is EINVAL. Each call's result is printed as the system
 * call returns it: 0, or minus the errno.
 *
 * The test runs in a session of its own (setsid), so that init's group is
 * in another session, as it is in the simulator. */
#include "real.h"

#include <fcntl.h>

static int result(int r) { return r < 0 ? -errno : r; }

/* The first pid that cannot exist: no group has it. */
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

static void test(void)
{
    int ready[2], go[2], gpid[2];
    chan(ready);
    chan(go);
    chan(gpid);
    pid_t a = xfork();
    if (a == 0) {
        say("child: setpgid(0, 0) returns %d", result(setpgid(0, 0)));
        say("child: setpgid(its parent, 0) returns %d", result(setpgid(getppid(), 0)));
        say("child: setpgid(0, init's group) returns %d", result(setpgid(0, 1)));
        pid_t g = xfork();
        if (g == 0) {
            await(go);
            _exit(0);
        }
        if (write(gpid[1], &g, sizeof g) != sizeof g)
            die("write");
        post(ready);
        await(go);
        waitpid(g, NULL, 0);
        _exit(0);
    }
    await(ready);
    pid_t g;
    if (read(gpid[0], &g, sizeof g) != sizeof g)
        die("read");
    say("child leads its own group: %s", getpgid(a) == a ? "yes" : "no");
    say("setpgid(child, my group) returns %d", result(setpgid(a, getpgrp())));
    say("child back in my group: %s", getpgid(a) == getpgrp() ? "yes" : "no");
    say("setpgid(child, child) returns %d", result(setpgid(a, a)));
    say("setpgid(child, a group that does not exist) returns %d",
        result(setpgid(a, no_such_pid())));
    say("setpgid(0, -1) returns %d", result(setpgid(0, -1)));
    say("setpgid(1, 1) returns %d", result(setpgid(1, 1)));
    say("setpgid(grandchild, grandchild) returns %d", result(setpgid(g, g)));
    say("getpgid(no such pid) returns %d", result(getpgid(no_such_pid())));
    post(go);
    post(go);
    waitpid(a, NULL, 0);

    /* A child that has exec'd: the close-on-exec pipe reads EOF once the
     * exec is done. */
    int exec_done[2];
    if (pipe2(exec_done, O_CLOEXEC) < 0)
        die("pipe2");
    pid_t b = xfork();
    if (b == 0) {
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        die("execl");
    }
    close(exec_done[1]);
    char c;
    if (read(exec_done[0], &c, 1) != 0)
        unexpected("the exec did not happen");
    say("setpgid(child after exec, child) returns %d", result(setpgid(b, b)));
    kill(b, SIGKILL);
    waitpid(b, NULL, 0);
}

int main(void)
{
    pid_t t = xfork();
    if (t == 0) {
        if (setsid() < 0)
            die("setsid");
        test();
        _exit(0);
    }
    int st;
    if (xwaitpid(t, &st, 0) != t || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        unexpected("the test process failed");
    return 0;
}
