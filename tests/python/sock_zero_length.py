"""Zero-length calls: send(b'') returns 0 and sends nothing; recv(0)
returns b'' at once although the peer is still connected (not EOF: a
reader that stops at b'' must not ask for 0 bytes); the bytes sent later
are all still there."""
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
c = socket.socket()
c.connect(ls.getsockname())
conn, _ = ls.accept()
print("send of an empty string:", c.send(b""))
print("recv(0):", len(conn.recv(0)), "bytes")
c.sendall(b"data")
print("then recv(100):", conn.recv(100).decode())
