"""shutdown(SHUT_RD) on a TCP socket: recv returns b'' at once while
nothing is queued. TCP does not tell the peer, which can still send; bytes
that arrive afterwards are queued and recv returns them (Linux). Sending
still works after SHUT_RD, and after SHUT_RDWR the peer reads EOF. The
program waits for the bytes with FIONREAD, not a sleep."""
import array
import fcntl
import socket
import termios
import time


def queued(s):
    n = array.array("i", [0])
    fcntl.ioctl(s, termios.FIONREAD, n)
    return n[0]


ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, _ = ls.accept()
c.shutdown(socket.SHUT_RD)
print("recv after SHUT_RD:", len(c.recv(100)), "bytes")
conn.sendall(b"late")
for _ in range(5000):
    if queued(c) >= 4:
        break
    time.sleep(0.001)
print("recv after the peer sent:", len(c.recv(100)), "bytes")
c.sendall(b"still")
print("the peer gets:", conn.recv(100).decode())
c.shutdown(socket.SHUT_RDWR)
print("peer recv after SHUT_RDWR:", len(conn.recv(100)), "bytes")
