/* waitpid's untraced and continued options (WUNTRACED, WCONTINUED): a stop
 * is reported once, with the signal that caused it; a plain waitpid does
 * not see it; a continue is reported once; the exit is reported by a
 * waitpid that asked for stops too. */
#include "real.h"

/* waitpid(c, flags) and what it reported. */
static void show(const char *what, pid_t c, int flags)
{
    int st = 0;
    pid_t r = xwaitpid(c, &st, flags);
    if (r <= 0)
        say("%s: returns %d", what, (int)r);
    else if (WIFSTOPPED(st))
        say("%s: stopped by %d", what, WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        say("%s: continued", what);
    else if (WIFEXITED(st))
        say("%s: exited %d", what, WEXITSTATUS(st));
    else
        say("%s: killed by %d", what, WTERMSIG(st));
}

int main(void)
{
    int go[2];
    chan(go);
    pid_t c = xfork();
    if (c == 0) {
        await(go);
        _exit(5);
    }
    kill(c, SIGSTOP);
    show("untraced", c, WUNTRACED);
    show("untraced nohang again", c, WUNTRACED | WNOHANG);
    show("plain nohang while stopped", c, WNOHANG);
    kill(c, SIGCONT);
    show("continued", c, WCONTINUED);
    show("continued nohang again", c, WCONTINUED | WNOHANG);
    kill(c, SIGTSTP);
    show("untraced", c, WUNTRACED);
    kill(c, SIGCONT);
    show("untraced continued", c, WUNTRACED | WCONTINUED);
    post(go);
    show("untraced continued", c, WUNTRACED | WCONTINUED);
    return 0;
}
