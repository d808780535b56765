"""connect's less common outcomes: a non-blocking connect to a port nobody
listens on raises BlockingIOError ([Errno 115]) at once, and the refusal
comes later: the socket becomes writable, SO_ERROR is 111, and a recv
raises ConnectionRefusedError. A connect with a timeout to a listener whose
queue is full (listen(0) holds one; its SYNs are dropped) raises
TimeoutError('timed out')."""
import select
import socket

holder = socket.socket()
holder.bind(("127.0.0.1", 0))
addr = holder.getsockname()
c = socket.socket()
c.setblocking(False)
try:
    c.connect(addr)
except BlockingIOError as e:
    print("non-blocking connect: BlockingIOError", e)
select.select([], [c], [], 5)
print("then SO_ERROR:", c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
c.close()
c = socket.socket()
c.setblocking(False)
try:
    c.connect(addr)
except BlockingIOError as e:
    print("non-blocking connect: BlockingIOError", e)
select.select([], [c], [], 5)
try:
    c.recv(10)
except ConnectionRefusedError as e:
    print("recv: ConnectionRefusedError", e)
c.close()

holder.listen(0)
a = socket.socket()
a.connect(addr)
print("first connect with listen(0): connected")
b = socket.socket()
b.settimeout(0.2)
try:
    b.connect(addr)
    print("second connect: connected")
except TimeoutError as e:
    print("second connect: TimeoutError", e)
