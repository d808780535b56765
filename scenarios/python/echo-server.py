"""An echo server and its client on 127.0.0.1, in two processes.

The server listens; the forked client connects, sends a line and reads the
echo. In the window: the server is S in accept(), then in recv(); the
client is S in recv() until the echo comes back.
"""
import os
import socket

server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))          # port 0: any free port
server.listen(1)
port = server.getsockname()[1]         # which port we got (the child inherits it)

if os.fork() == 0:                     # the client
    server.close()                     # the client does not accept
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"hello, echo")
    print("client received:", client.recv(1024).decode())
    client.close()
    os._exit(0)

conn, _ = server.accept()              # blocks until the client connects
data = conn.recv(1024)
print("server received:", data.decode())
conn.sendall(data)                     # echo it back
conn.close()
os.wait()
server.close()
