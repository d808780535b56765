"""select.poll on the read end of a pipe whose writer (a child process) has
sent a message and exited: POLLIN | POLLHUP while the message is there,
POLLHUP alone once it is read. POLLHUP is reported though only POLLIN was
registered. A closed fd that is still registered comes back as POLLNVAL.
modify of an fd never registered raises FileNotFoundError."""
import multiprocessing as mp
import select

ctx = mp.get_context("fork")
r, w = ctx.Pipe(duplex=False)


def child():
    w.send("x")


p = ctx.Process(target=child)
p.start()
w.close()
p.join()
po = select.poll()
po.register(r, select.POLLIN)
ev = po.poll(0)
print("events:", len(ev), "mask", ev[0][1], "POLLIN|POLLHUP:", ev[0][1] == select.POLLIN | select.POLLHUP,
      flush=True)
print("message:", r.recv(), flush=True)
ev = po.poll(0)
print("after reading: mask", ev[0][1], "POLLHUP:", ev[0][1] == select.POLLHUP, flush=True)
fd = r.fileno()
r.close()
ev = po.poll(0)
print("closed fd: mask", ev[0][1], "POLLNVAL:", ev[0][1] == select.POLLNVAL, flush=True)
po.unregister(fd)
print("nothing registered:", po.poll(0), flush=True)
try:
    po.modify(fd, select.POLLIN)
except FileNotFoundError as e:
    print("FileNotFoundError:", e, flush=True)
