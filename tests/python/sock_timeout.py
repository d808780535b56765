"""settimeout: a blocking call that waits longer than the timeout raises
TimeoutError (socket.timeout is TimeoutError since Python 3.10) with the
message "timed out": accept with nobody connecting, recv with nothing sent.
A call that does not have to wait is not affected, and
the socket still works after a timeout."""
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
ls.settimeout(0.05)
try:
    ls.accept()
except TimeoutError as e:
    print("accept:", type(e).__name__, e)
c = socket.socket()
c.connect(ls.getsockname())
conn, addr = ls.accept()
print("accept: a connection")
conn.settimeout(0.05)
try:
    conn.recv(100)
except TimeoutError as e:
    print("recv:", type(e).__name__, e)
c.sendall(b"late")
print("recv:", conn.recv(100).decode())
try:
    conn.recv(100)
except socket.timeout as e:
    print("recv again:", type(e).__name__, e)
c.close()
conn.close()
ls.close()
