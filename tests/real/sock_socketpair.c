/* socketpair(AF_UNIX, SOCK_STREAM): two connected ends, one per process
 * after fork. The parent sends "ping", the child answers "pong" and exits;
 * the parent's next recv returns 0 (EOF). Then a Unix stream socket
 * bound to a path in a temporary directory: a client connects by path,
 * and a connect to a path nobody bound fails with ENOENT
 * (FileNotFoundError). */
#include <sys/un.h>
#include "sock_net.h"

static struct sockaddr_un unix_addr(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    return a;
}

static void show(const char *who, int s)
{
    char buf[100];
    ssize_t n = recv(s, buf, sizeof buf, 0);
    if (n < 0)
        die("recv");
    if (n == 0)
        say("%s gets EOF", who);
    else
        say("%s gets %.*s", who, (int)n, buf);
}

int main(void)
{
    int sv[2], st;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        die("socketpair");
    pid_t c = xfork();
    if (c == 0) {
        close(sv[0]);
        show("child", sv[1]);
        send_all(sv[1], "pong", 4);
        _exit(0);
    }
    close(sv[1]);
    send_all(sv[0], "ping", 4);
    show("parent", sv[0]);
    show("parent", sv[0]);
    if (xwaitpid(c, &st, 0) != c)
        die("waitpid");
    report("child", st);
    close(sv[0]);

    char dir[] = "/tmp/procsim-sockXXXXXX", path[96], missing[96];
    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(path, sizeof path, "%s/server.sock", dir);
    snprintf(missing, sizeof missing, "%s/nobody.sock", dir);
    int ls = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = unix_addr(path);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 5) < 0)
        die("unix listen");
    int cl = socket(AF_UNIX, SOCK_STREAM, 0);
    if (cl < 0 || connect(cl, (struct sockaddr *)&a, sizeof a) < 0)
        die("unix connect");
    int conn = xaccept(ls);
    send_all(cl, "hi", 2);
    show("server", conn);
    close(cl);
    show("server", conn);
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un m = unix_addr(missing);
    if (connect(other, (struct sockaddr *)&m, sizeof m) == 0)
        unexpected("connect to a missing path succeeded");
    else
        say_errno("connect to a missing path: FileNotFoundError: ", errno);
    close(other);
    close(conn);
    close(ls);
    unlink(path);
    rmdir(dir);
    return 0;
}
