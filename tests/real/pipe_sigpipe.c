/* SIGPIPE's default action: a process that writes to a pipe with no reader
 * left is killed by SIGPIPE (status -13); what it printed before stays,
 * the line after the write never comes. The parent, which holds the write
 * end too but does not write, is not touched. */
#include "real.h"

int main(void)
{
    int p[2], st;
    chan(p);
    close(p[0]);                /* the only read end: no reader from here on */
    pid_t c = xfork();
    if (c == 0) {
        say("child writes to a pipe with no reader");
        if (write(p[1], "x", 1) < 0)
            say("write failed: %s", strerror(errno));
        say("child survived the write");
        _exit(0);
    }
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    say("child status %d", WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st));
    say("parent still running");
    return 0;
}
