"""settimeout applies to send too: a sendall into the full buffers of a
peer that never reads raises TimeoutError('timed out'); the bytes it had
already put in the buffers stay sent (sendall does not say how many)."""
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, _ = ls.accept()
c.settimeout(0.1)
try:
    c.sendall(b"x" * 10_000_000)
    print("sendall went through")
except TimeoutError as e:
    print("sendall: TimeoutError", e)
conn.setblocking(False)
got = 0
try:
    while True:
        d = conn.recv(65536)
        if not d:
            break
        got += len(d)
except BlockingIOError:
    pass
print("the server finds some bytes:", got > 0)
