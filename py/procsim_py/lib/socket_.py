"""The socket module: socket.socket is a prelude class (prelude/socket.py)
whose methods are procsim's socket statements on its fd."""
from ._util import prelude_call
from .registry import METHODS, call, const, prelude

S = "socket"
prelude("socket.socket", "socket", "Socket")
for _n, _v in [("AF_INET", 2), ("AF_UNIX", 1), ("SOCK_STREAM", 1), ("SOCK_DGRAM", 2),
               ("SOL_SOCKET", 1), ("SO_REUSEADDR", 2), ("SO_REUSEPORT", 15), ("SO_TYPE", 3),
               ("SO_ERROR", 4), ("SO_SNDBUF", 7), ("SO_RCVBUF", 8), ("SHUT_RD", 0),
               ("SHUT_WR", 1), ("SHUT_RDWR", 2), ("IPPROTO_TCP", 6), ("IPPROTO_UDP", 17),
               ("TCP_NODELAY", 1), ("SOMAXCONN", 4096)]:
    const("%s.%s" % (S, _n), str(_v))
const("socket.timeout", "TimeoutError")
const("socket.error", "OSError")


def _fn(fname):
    def handler(tr, node, dest):
        prelude_call(tr, node, dest, "socket", fname)
    return handler


call(S + ".socketpair")(_fn("_sock_socketpair"))
call(S + ".create_connection")(_fn("_sock_create_connection"))
call(S + ".create_server")(_fn("_sock_create_server"))


@call(S + ".gethostname", pure=True)
def gethostname(tr, node):
    return '"localhost"'


@call(S + ".gethostbyname", pure=True)
def gethostbyname(tr, node):
    return '"127.0.0.1"'


def _with_close(cls):
    def enter(tr, item, dest, recv):
        pass

    def exit_(tr, item, dest, recv):
        tr.emit("call %s.close(%s)" % (cls, recv))
    METHODS["inst:%s.__enter__" % cls] = enter
    METHODS["inst:%s.__exit__" % cls] = exit_


for _c in ("Socket", "Connection", "_Epoll", "EpollSelector"):
    _with_close(_c)
