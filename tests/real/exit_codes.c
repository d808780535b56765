/* Exit codes reach the parent through wait: _exit(0), _exit(7), _exit(255),
 * each read back with WEXITSTATUS. */
#include "real.h"

int main(void)
{
    static const int codes[] = { 0, 7, 255 };
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = xfork();
        if (kids[i] == 0)
            _exit(codes[i]);
    }
    for (int i = 0; i < 3; i++) {
        int st;
        if (xwaitpid(kids[i], &st, 0) != kids[i])
            die("waitpid");
        report("child", st);
    }
    errno = 0;
    pid_t r = wait(NULL);
    say("wait returned %d %s", (int)r, errno == ECHILD ? "ECHILD" : strerror(errno));
    return 0;
}
