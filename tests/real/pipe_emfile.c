/* The descriptor limit: with 64 descriptors (RLIMIT_NOFILE; procsim's
 * `config nofile=64`), 0 to 63, a process holding 0, 1, 2 and one pipe at 3, 4
 * can make 29 more pipes (5 to 62); the next needs two free numbers and
 * only 63 is left, so pipe fails with EMFILE, which Python raises as
 * OSError "[Errno 24] Too many open files". Closing one end frees a
 * number, and then a pipe fits again. */
#include <sys/resource.h>
#include "real.h"

int main(void)
{
    struct rlimit lim = { 64, 64 };
    int top[2], p[2], last = -1, made = 0;
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    if (setrlimit(RLIMIT_NOFILE, &lim) < 0)
        die("setrlimit");
    chan(top);
    for (;;) {
        if (pipe(p) < 0) {
            say("made %d pipes", made);
            say("OSError: [Errno %d] %s", errno, strerror(errno));
            break;
        }
        made++;
        last = p[1];
    }
    say("the last pipe's write end is %d", last);
    close(top[1]);
    if (pipe(p) < 0)
        die("pipe");
    say("after closing 4: pipe -> %d %d", p[0], p[1]);
    return 0;
}
