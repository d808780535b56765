/*
 * real.h - helpers shared by the tests/real programs.
 *
 * Each program does with real system calls what its paired scenario does in
 * the simulator and prints the observable outcome in a canonical form that
 * depends on neither pids nor timing. Lines go out with write(2), never
 * stdio, so that nothing sits in a buffer that fork would copy.
 *
 * Sequencing uses pipes and waitpid, not sleeps. When the kernel does not
 * behave as the program expects, it prints a line starting "UNEXPECTED",
 * which the scenario never prints, so the pair fails loudly.
 */
#ifndef REAL_H
#define REAL_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How many times a handler ran. Most programs only need to know that (and
 * how often) a signal was handled: they install count_signal. */
static volatile sig_atomic_t runs __attribute__((unused));

static inline void count_signal(int sig)
{
    (void)sig;
    runs++;
}

static inline void say(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof buf - 2)
        n = (int)sizeof buf - 2;
    buf[n++] = '\n';
    for (int off = 0; off < n;) {
        ssize_t w = write(1, buf + off, (size_t)(n - off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        off += (int)w;
    }
}

#define unexpected(...) say("UNEXPECTED: " __VA_ARGS__)

/* Give up (and make the pair fail) on a failed call that should not fail. */
static inline void die(const char *what)
{
    say("UNEXPECTED: %s failed: %s", what, strerror(errno));
    _exit(99);
}

/* Install a handler with sigaction, without SA_RESTART (as Python's
 * signal.signal does): an interrupted wait fails with EINTR. */
static inline void on(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    if (sigaction(sig, &sa, NULL) < 0)
        die("sigaction");
}

static inline void set_block(int how, int sig)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    if (sigprocmask(how, &s, NULL) < 0)
        die("sigprocmask");
}

/* A one-byte message through a pipe: the way processes wait for each other. */
static inline void chan(int fd[2])
{
    if (pipe(fd) < 0)
        die("pipe");
}

static inline void post(int fd[2])
{
    char c = 'x';
    while (write(fd[1], &c, 1) < 0)
        if (errno != EINTR)
            die("write");
}

static inline void await(int fd[2])
{
    char c;
    ssize_t r;
    while ((r = read(fd[0], &c, 1)) < 0)
        if (errno != EINTR)
            die("read");
    if (r == 0)
        unexpected("pipe closed before the message came");
}

static inline pid_t xfork(void)
{
    pid_t p = fork();
    if (p < 0)
        die("fork");
    return p;
}

/* waitpid, retried after EINTR (a handler that ran meanwhile). */
static inline pid_t xwaitpid(pid_t pid, int *st, int flags)
{
    pid_t r;
    while ((r = waitpid(pid, st, flags)) < 0 && errno == EINTR)
        ;
    return r;
}

/* "WHO exited N" or "WHO killed by SIG", as the scenario prints a status
 * (the code, or -SIG). */
static inline void report(const char *who, int st)
{
    if (WIFEXITED(st))
        say("%s exited %d", who, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        say("%s killed by %d", who, WTERMSIG(st));
    else
        unexpected("%s: status %#x is neither an exit nor a death", who, st);
}

/* The state letter of a process, from /proc/PID/stat ('?' if gone). */
static inline char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : '?';
}

/* Wait (at most about 5 s) until pid is in state want: used only to know
 * that a process has gone to sleep in the call the test is about. */
static inline void await_state(pid_t pid, char want)
{
    for (int i = 0; i < 5000; i++) {
        if (proc_state(pid) == want)
            return;
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    unexpected("process never reached state %c", want);
}

/* Be the leader of a process group of our own, as each `spawn` is its own
 * job in the simulator (and so that kill(0, ...) reaches only us). */
/* Send a stop signal and wait until waitpid(WUNTRACED) reports the child
 * stopped by it. */
static inline void stop_child(pid_t pid, int sig)
{
    int st;
    kill(pid, sig);
    if (xwaitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st) || WSTOPSIG(st) != sig)
        unexpected("%s did not stop the child", sig == SIGSTOP ? "SIGSTOP" : "the signal");
}

/* Fork a child that catches SIGUSR1 (count_signal), sleeps 10 s, then
 * says whether the sleep was cut short and how often the handler ran.
 * Returns once the child is in its sleep. */
static inline pid_t fork_sleeper(void)
{
    int ready[2];
    chan(ready);
    pid_t c = xfork();
    if (c == 0) {
        on(SIGUSR1, count_signal);
        post(ready);
        unsigned left = sleep(10);
        say(left > 0 ? "sleep interrupted" : "sleep ran to the end");
        say("handler ran %d times", (int)runs);
        _exit(0);
    }
    await(ready);
    await_state(c, 'S');
    return c;
}

static inline void own_group(void)
{
    if (setpgid(0, 0) < 0)
        die("setpgid");
}

#endif
