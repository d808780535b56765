"""CPython ignores SIGPIPE, so writing to a TCP connection whose peer has
closed raises BrokenPipeError instead of killing the program. The server
accepts and closes at once; the client's recv returns b'' (EOF); its first
send still goes through (the peer's kernel answers it with a reset); once
the reset is in (poll reports POLLHUP) the next send and sendall raise
BrokenPipeError: [Errno 32] Broken pipe, an OSError."""
import select
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, addr = ls.accept()
conn.close()
data = c.recv(100)
print("recv:", len(data), "bytes, EOF")
print("first send:", c.send(b"x"), "bytes")
p = select.poll()
p.register(c, select.POLLHUP)
if not p.poll(5000):
    print("UNEXPECTED: no reset came")
try:
    c.send(b"x")
except BrokenPipeError as e:
    print("BrokenPipeError", e)
try:
    c.sendall(b"y" * 10)
except OSError as e:
    print("caught as OSError:", e)
print("still running")
c.close()
ls.close()
