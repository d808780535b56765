"""A select() server serves two clients from one process, answering whoever is ready."""
import os
import select
import socket
import time

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 0))
server.listen(5)
port = server.getsockname()[1]

kids = []
for i in range(2):
    pid = os.fork()
    if pid == 0:
        server.close()
        time.sleep(0.2 * (i + 1))      # client 0 at 0.2 s, client 1 at 0.4 s
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(f"client {i}".encode())
        print(c.recv(100).decode())
        c.close()
        os._exit(0)
    kids.append(pid)

open_socks = [server]
served = 0
while served < 2:
    readable, _, _ = select.select(open_socks, [], [])
    for s in readable:
        if s is server:
            conn, _ = server.accept()
            open_socks.append(conn)
        else:
            data = s.recv(100)
            if data:
                s.sendall(b"echo: " + data)
            else:
                open_socks.remove(s)
                s.close()
                served += 1
for pid in kids:
    os.waitpid(pid, 0)
print("served", served, "clients")
