"""Pipe(duplex=True) carries messages both ways: what one end sends, the
other end receives. Pipe(duplex=False) returns (receive end, send end):
the first only receives and the second only sends, and using either the
wrong way raises OSError at once. A closed end raises OSError too.

The child echoes what it receives on its end of the duplex pipe, so the
parent's recv gets the answer only after its own send: the order is fixed."""
import multiprocessing as mp

ctx = mp.get_context("fork")
a, b = ctx.Pipe()
r, w = ctx.Pipe(duplex=False)


def echo():
    b.send(b.recv() + " back")


p = ctx.Process(target=echo)
p.start()
a.send("ping")
print("a got", a.recv())
p.join()
w.send("one way")
print("r got", r.recv())
try:
    r.send("back")
except OSError as e:
    print(type(e).__name__, e)
try:
    w.recv()
except OSError as e:
    print(type(e).__name__, e)
w.close()
try:
    w.send("again")
except OSError as e:
    print(type(e).__name__, e)
