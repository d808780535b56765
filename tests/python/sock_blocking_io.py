"""setblocking(False): a call that would block raises BlockingIOError at
once: accept with no connection queued and recv with nothing to read
([Errno 11] Resource temporarily unavailable), send once the buffers are
full (the peer never reads), and connect, which starts the handshake and
raises [Errno 115] Operation now in progress (a blocking accept
waits for the handshake to finish)."""
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
ls.setblocking(False)
try:
    ls.accept()
except BlockingIOError as e:
    print("accept: BlockingIOError", e)
c = socket.socket()
c.setblocking(False)
try:
    c.connect(ls.getsockname())
except BlockingIOError as e:
    print("connect: BlockingIOError", e)
ls.setblocking(True)
conn, addr = ls.accept()
print("accept: the handshake finished")
conn.setblocking(False)
try:
    conn.recv(100)
except BlockingIOError as e:
    print("recv: BlockingIOError", e)
try:
    while True:
        c.send(b"x" * 1000)
except BlockingIOError as e:
    print("send when full: BlockingIOError", e)
c.close()
conn.close()
ls.close()
