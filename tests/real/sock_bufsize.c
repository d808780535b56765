/* SO_SNDBUF and SO_RCVBUF: Linux doubles the value given (the doubled
 * figure leaves room for its bookkeeping) and getsockopt shows the doubled
 * value; below a minimum it raises the value to that minimum (4608 bytes
 * for SO_SNDBUF, 2304 for SO_RCVBUF on 64-bit Linux). */
#include "sock_net.h"

static int get(int s, int opt)
{
    int v;
    socklen_t len = sizeof v;
    if (getsockopt(s, SOL_SOCKET, opt, &v, &len) < 0)
        die("getsockopt");
    return v;
}

static void set(int s, int opt, int v)
{
    if (setsockopt(s, SOL_SOCKET, opt, &v, sizeof v) < 0)
        die("setsockopt");
}

int main(void)
{
    int s = xsocket(SOCK_STREAM);
    set(s, SO_SNDBUF, 10000);
    say("SO_SNDBUF 10000 gives %d", get(s, SO_SNDBUF));
    set(s, SO_RCVBUF, 10000);
    say("SO_RCVBUF 10000 gives %d", get(s, SO_RCVBUF));
    set(s, SO_SNDBUF, 1000);
    say("SO_SNDBUF 1000 gives %d", get(s, SO_SNDBUF));
    set(s, SO_RCVBUF, 100);
    say("SO_RCVBUF 100 gives %d", get(s, SO_RCVBUF));
    close(s);
    int u = xsocket(SOCK_DGRAM);
    set(u, SO_SNDBUF, 10000);
    say("udp SO_SNDBUF 10000 gives %d", get(u, SO_SNDBUF));
    close(u);
    return 0;
}
