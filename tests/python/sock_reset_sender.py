"""A sender asleep in sendall (the peer never reads, the buffers are full)
when the peer closes: closing with unread data sends RST, which wakes the
sender with ConnectionResetError ([Errno 104] Connection reset by peer)."""
import os
import socket
import time


def state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(5)
pid = os.fork()
if pid == 0:
    c = socket.socket()
    c.connect(ls.getsockname())
    try:
        c.sendall(b"x" * 10_000_000)
        print("sendall went through", flush=True)
    except OSError as e:
        print("sendall:", type(e).__name__, e, flush=True)
    os._exit(0)
conn, _ = ls.accept()
for _ in range(5000):
    if state(pid) == "S":
        break
    time.sleep(0.001)
print("the sender sleeps in sendall", flush=True)
conn.close()
_, st = os.waitpid(pid, 0)
print("sender exited", os.waitstatus_to_exitcode(st), flush=True)
