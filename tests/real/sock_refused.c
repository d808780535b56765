/* connect to a port nobody listens on: the kernel answers the SYN with a
 * reset and connect fails with ECONNREFUSED (ConnectionRefusedError in
 * Python). The port is held by a socket that is bound but never listens,
 * so nothing else on the machine can be listening there. Then the same
 * port listening: connect succeeds. */
#include "sock_net.h"

int main(void)
{
    int holder = xsocket(SOCK_STREAM);
    int port = bind_any(holder);
    int s = dial(port);
    if (s >= 0)
        unexpected("connect succeeded");
    else
        say_errno("connect: ConnectionRefusedError: ", errno);
    s = dial(port);
    if (s >= 0)
        unexpected("connect succeeded");
    else
        say_errno("again: ", errno);
    if (listen(holder, 5) < 0)
        die("listen");
    s = dial(port);
    if (s < 0)
        die("connect");
    say("after listen: connected");
    close(s);
    close(holder);
    return 0;
}
