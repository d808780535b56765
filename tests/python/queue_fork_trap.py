"""multiprocessing.Queue after a bare os.fork(): the child inherits the
parent's Queue object with its feeder thread object, but not the thread
(fork copies only the calling thread). Queue._after_fork, which would reset
them, runs only in a multiprocessing.Process child. So the child's put
finds a feeder already "started", appends to a buffer nobody empties, and
the item is never sent; the child's exit does not wait for it either.

A Process child (the second part) starts fresh: its first put starts its
own feeder, and its item arrives.

The parent waits for each child before it gets, and the child's item can
never arrive in the first part, however long the timeout: the lines are
certain."""
import multiprocessing as mp
import os
import queue

ctx = mp.get_context("fork")
q = ctx.Queue()
q.put("parent")
print("parent got", q.get(), flush=True)

pid = os.fork()
if pid == 0:
    q.put("from the os.fork child")
    raise SystemExit(0)
os.waitpid(pid, 0)
try:
    print("parent got", q.get(timeout=2), flush=True)
except queue.Empty:
    print("Empty: the os.fork child's item was never sent", flush=True)


def child():
    q.put("from the Process child")


p = ctx.Process(target=child)
p.start()
p.join()
print("parent got", q.get(timeout=2), flush=True)
