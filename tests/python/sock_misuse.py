"""Misusing a socket raises OSError with Linux's errno, never worse:
recv on a listening socket ([Errno 107] Transport endpoint is not
connected), send on a socket never connected or listening (Linux answers
EPIPE: BrokenPipeError [Errno 32], SIGPIPE being ignored), accept on a socket that
does not listen ([Errno 22] Invalid argument), connect twice ([Errno 106]
Transport endpoint is already connected), bind to a port in use
([Errno 98] Address already in use), a closed socket ([Errno 9] Bad file
descriptor), connect to a Unix path nobody bound (FileNotFoundError,
[Errno 2])."""
import os
import socket
import tempfile


def attempt(what, f, *args):
    try:
        f(*args)
        print(what, "went through")
    except OSError as e:
        print(what + ":", type(e).__name__, e)


ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
addr = ls.getsockname()
attempt("recv on a listening socket", ls.recv, 10)
fresh = socket.socket()
attempt("send on a listening socket", ls.send, b"x")
attempt("send on an unconnected socket", fresh.send, b"x")
attempt("recv on an unconnected socket", fresh.recv, 10)
attempt("accept on a socket that does not listen", fresh.accept)
c = socket.socket()
c.connect(addr)
attempt("connect twice", c.connect, addr)
other = socket.socket()
attempt("bind to a port in use", other.bind, addr)
c.close()
attempt("send on a closed socket", c.send, b"x")
with tempfile.TemporaryDirectory() as d:
    u = socket.socket(socket.AF_UNIX)
    attempt("connect to a missing path", u.connect, os.path.join(d, "nobody.sock"))
    u.close()
fresh.close()
other.close()
ls.close()
