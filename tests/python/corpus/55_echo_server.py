"""An echo server and a client on 127.0.0.1: the forked client sends, the server echoes back."""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))          # port 0: the kernel picks a free port
server.listen(1)
port = server.getsockname()[1]

pid = os.fork()
if pid == 0:                           # the client
    server.close()
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.connect(("127.0.0.1", port))
    c.sendall(b"hello, server")
    print("client got back:", c.recv(100).decode())
    c.close()
    os._exit(0)

conn, addr = server.accept()
data = conn.recv(100)
print("server received:", data.decode())
conn.sendall(data)
conn.close()
os.waitpid(pid, 0)
server.close()
