"""An echo server in a child process and a client: the server sends back
what it receives until recv returns b'' (the client closed). The client
waits for each echo before it sends the next message, so no two merge."""
import os
import socket

ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
pid = os.fork()
if pid == 0:
    conn, addr = ls.accept()
    print("server: a client from", addr[0], flush=True)
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    print("server: the client left", flush=True)
    conn.close()
    os._exit(0)
c = socket.socket()
c.connect(ls.getsockname())
for msg in ["hello", "world", "bye"]:
    c.sendall(msg.encode())
    print("client: echo", c.recv(1024).decode(), flush=True)
c.close()
_, status = os.waitpid(pid, 0)
print("server exited", os.waitstatus_to_exitcode(status), flush=True)
ls.close()
