"""select.poll and selectors over pipes and a socketpair (lib/select_.py,
prelude/select.py)."""
import os
import select
import selectors
import socket

r, w = os.pipe()
p = select.poll()
p.register(r, select.POLLIN)
print("nothing yet:", p.poll(0))
os.write(w, b"x")
print("ready:", [(fd == r, ev) for fd, ev in p.poll(100)])
print("read:", os.read(r, 10))

a, b = socket.socketpair()
sel = selectors.DefaultSelector()
sel.register(a, selectors.EVENT_READ, data="A")
b.sendall(b"ping")
for key, mask in sel.select(timeout=1):
    print("selector:", key.data, mask, key.fileobj is a, key.fileobj.recv(10))
sel.unregister(a)
rl, wl, xl = select.select([a], [b], [], 0)
print("select:", len(rl), wl == [b], xl)
a.close()
b.close()
