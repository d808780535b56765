"""Callbacks of apply_async run in the parent, in its result-handler
thread (not the main thread), in the order the results arrive, not the
order of submission. Pool(3) gets tasks 0, 1, 2: task 2 returns at once,
task 1 waits until the callback of task 2 has run, task 0 until that of
task 1, so the callbacks come 2, 1, 0. A callback runs before get() of its
result returns (ApplyResult._set calls it, then sets the event), so the
main thread's lines come after them. A task that raises calls its
error_callback instead, with the exception. Paired with pool_callbacks.scn."""
import multiprocessing as mp
import os
import threading

ctx = mp.get_context("fork")
done1 = ctx.Event()
done2 = ctx.Event()
parent = os.getpid()


def task(i):
    if i == 0:
        done1.wait()
    if i == 1:
        done2.wait()
    return i * 10


def bad(x):
    raise ValueError("bad")


def cb(v):
    print("callback", v, "in the main thread:",
          threading.current_thread() is threading.main_thread(),
          "in the parent:", os.getpid() == parent, flush=True)
    if v == 10:
        done1.set()
    if v == 20:
        done2.set()


def ecb(e):
    print("error_callback", e, "in the main thread:",
          threading.current_thread() is threading.main_thread(), flush=True)


if __name__ == "__main__":
    p = ctx.Pool(3)
    rs = [p.apply_async(task, (i,), callback=cb) for i in range(3)]
    print("got", [r.get() for r in rs], flush=True)
    r = p.apply_async(bad, (7,), callback=cb, error_callback=ecb)
    r.wait()
    print("successful:", r.successful(), flush=True)
    p.close()
    p.join()
