/* Unix datagram sockets keep message boundaries as UDP does: three
 * sendto, three recv, each whole. The receiver is bound to a path in a
 * fresh temporary directory. */
#include <sys/un.h>
#include "sock_net.h"

static struct sockaddr_un at(const char *path)
{
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
    return a;
}

int main(void)
{
    char dir[] = "/tmp/procsim-dgramXXXXXX", rpath[96];
    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(rpath, sizeof rpath, "%s/r.sock", dir);
    struct sockaddr_un ra = at(rpath);
    int r = socket(AF_UNIX, SOCK_DGRAM, 0);
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (r < 0 || s < 0 || bind(r, (struct sockaddr *)&ra, sizeof ra) < 0)
        die("unix dgram");
    const char *msgs[] = { "one", "two", "three" };
    for (int i = 0; i < 3; i++)
        if (sendto(s, msgs[i], strlen(msgs[i]), 0, (struct sockaddr *)&ra, sizeof ra) < 0)
            die("sendto");
    char buf[100];
    for (int i = 0; i < 3; i++) {
        ssize_t n = recv(r, buf, sizeof buf, 0);
        if (n < 0)
            die("recv");
        say("recvfrom: %d bytes %.*s", (int)n, (int)n, buf);
    }
    close(r);
    close(s);
    unlink(rpath);
    rmdir(dir);
    return 0;
}
