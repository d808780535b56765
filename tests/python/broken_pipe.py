"""CPython ignores SIGPIPE at start-up, so a send on a pipe that no process
can read any more fails with BrokenPipeError ([Errno 32] Broken pipe, an
OSError) and the program goes on. A duplex Pipe (a socketpair) behaves the
same, and its recv raises EOFError. A child that sets SIGPIPE back to its
default action is killed by it instead: exitcode -13.

The pipes are made before any fork, so the children hold copies; the
reader child exits at once, taking its copy of r with it."""
import multiprocessing as mp
import signal

ctx = mp.get_context("fork")
r, w = ctx.Pipe(duplex=False)
a, b = ctx.Pipe()


def reader():
    pass


def writer():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    print("child sends with SIGPIPE at its default action", flush=True)
    w.send("x")
    print("child survived the send", flush=True)


p = ctx.Process(target=reader)
p.start()
r.close()
p.join()
print("reader exitcode", p.exitcode, flush=True)
try:
    w.send("x")
except BrokenPipeError as e:
    print(type(e).__name__, e, flush=True)
print("still running", flush=True)
b.close()
try:
    a.send("x")
except OSError as e:
    print("caught as OSError:", e, flush=True)
try:
    a.recv()
except EOFError as e:
    print(type(e).__name__, flush=True)
c = ctx.Process(target=writer)
c.start()
c.join()
print("writer exitcode", c.exitcode, flush=True)
