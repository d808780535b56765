/*
 * pyfront_run.c - running the Python translator (see pyfront.h).
 *
 * The translator is `PYTHON -S -B PROCSIM_PY_DIR/procsim_py.py FILE`; the
 * environment variable PROCSIM_PY names another translator script (tests
 * and installs). PYTHON is the interpreter make resolved behind `python3`
 * (PROCSIM_PYTHON, compiled in): a pyenv `python3` is a shell script that
 * costs ~50 ms before CPython starts, as much as the translation itself.
 * If that file is gone, the `python3` on PATH runs it; the environment
 * variable PROCSIM_PYTHON names another interpreter. Its stdout and stderr
 * are read together with poll(), so a large translation or a long message
 * cannot fill one pipe while the other is waited on.
 */
#include "pyfront.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PROCSIM_PY_DIR
#define PROCSIM_PY_DIR "py"
#endif

/* The interpreter that runs the translator (see the top of the file). */
static const char *interpreter(void)
{
    const char *env = getenv("PROCSIM_PYTHON");
    if (env && *env)
        return env;
#ifdef PROCSIM_PYTHON
    if (access(PROCSIM_PYTHON, X_OK) == 0)
        return PROCSIM_PYTHON;
#endif
    return "python3";
}

/* The most text a translation may print: far beyond any student's file. */
#define MAX_OUTPUT ((size_t)256 << 20)

bool pyfront_is_python(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".py");
}

char *pyfront_msgf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

struct buf {
    char *data;
    size_t len, cap;
};

/* Read what is there on fd into b; false at end of file (or on error). */
static bool drain(int fd, struct buf *b, bool *too_big)
{
    if (b->cap - b->len < 4096) {
        size_t cap = b->cap ? b->cap * 2 : 65536;
        char *d = realloc(b->data, cap + 1);
        if (!d || cap > MAX_OUTPUT) {
            *too_big = true;
            free(d == b->data ? NULL : d);
            if (d)
                b->data = d;
            return false;
        }
        b->data = d;
        b->cap = cap;
    }
    ssize_t got = read(fd, b->data + b->len, b->cap - b->len);
    if (got < 0 && errno == EINTR)
        return true;
    if (got <= 0)
        return false;
    b->len += (size_t)got;
    return true;
}

char *pyfront_translate(const char *path, size_t *len, char **msg)
{
    const char *script = getenv("PROCSIM_PY");
    char def[4096];
    if (!script || !*script) {
        snprintf(def, sizeof def, "%s/procsim_py.py", PROCSIM_PY_DIR);
        script = def;
    }
    int out[2], err[2];
    if (pipe(out) < 0) {
        *msg = pyfront_msgf("%s: error: cannot run python3: %s\n", path, strerror(errno));
        return NULL;
    }
    if (pipe(err) < 0) {
        *msg = pyfront_msgf("%s: error: cannot run python3: %s\n", path, strerror(errno));
        close(out[0]);
        close(out[1]);
        return NULL;
    }
    /* fork and exec (posix_spawn's <spawn.h> would include <sched.h>,
     * which sim/sched/sched.h shadows). A third pipe, closed on exec,
     * carries exec's errno back if python3 cannot be run. */
    int ex[2];
    if (pipe(ex) < 0 || fcntl(ex[1], F_SETFD, FD_CLOEXEC) < 0) {
        *msg = pyfront_msgf("%s: error: cannot run python3: %s\n", path, strerror(errno));
        close(out[0]);
        close(out[1]);
        close(err[0]);
        close(err[1]);
        return NULL;
    }
    /* -S: no site module (the translator needs the standard library
     * only, and site's .pth files cost start-up time); -B: never write
     * .pyc files (make compiles the translator's ahead). */
    const char *python = interpreter();
    char *argv[] = { (char *)python, "-S", "-B", (char *)script, (char *)path, NULL };
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        close(out[1]);
        close(err[1]);
        close(ex[0]);
        execvp(python, argv);
        int e = errno;
        ssize_t w = write(ex[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    int rc = pid < 0 ? errno : 0;
    close(out[1]);
    close(err[1]);
    close(ex[1]);
    if (pid > 0) {
        int e;
        ssize_t got;
        while ((got = read(ex[0], &e, sizeof e)) < 0 && errno == EINTR)
            ;
        if (got == (ssize_t)sizeof e) {
            rc = e;
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
    }
    close(ex[0]);
    if (rc != 0) {
        close(out[0]);
        close(err[0]);
        bool named = strcmp(python, "python3") != 0;
        *msg = pyfront_msgf("%s: error: a .py file is translated by python3%s%s%s, which could "
                    "not be run (%s); install it (Debian: apt install python3)\n",
                    path, named ? " (" : "", named ? python : "", named ? ")" : "",
                    strerror(rc));
        return NULL;
    }
    struct buf o = { 0 }, e = { 0 };
    bool too_big = false;
    struct pollfd fds[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
    int open_fds = 2;
    while (open_fds > 0 && !too_big) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (!drain(fds[i].fd, i ? &e : &o, &too_big)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (o.data)
        o.data[o.len] = '\0';
    if (e.data)
        e.data[e.len] = '\0';
    char *result = NULL;
    if (too_big) {
        *msg = pyfront_msgf("%s: error: the translation is too large (over %zu MiB)\n", path,
                    MAX_OUTPUT >> 20);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        result = o.data ? o.data : calloc(1, 1);
        o.data = NULL;
        *len = o.len;
        if (!result)
            *msg = pyfront_msgf("%s: error: out of memory\n", path);
    } else if (e.len > 0) {
        *msg = e.data;                    /* the translator's diagnostic */
        e.data = NULL;
    } else {
        *msg = pyfront_msgf("%s: error: the Python translator (%s) failed (%s %d)\n", path, script,
                    WIFEXITED(status) ? "exit status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
    free(o.data);
    free(e.data);
    return result;
}

