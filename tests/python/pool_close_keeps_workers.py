"""close() does not end idle workers while tasks are still running: the
pool's worker handler keeps every worker until the last pending result is
in (Pool._handle_workers loops while its cache is not empty), and only
then sends each worker its sentinel, so they all exit together. Pool(2):
task 1 holds one worker (it says it started, then waits for `go`); task 0
runs in the other, which is then idle. After close() and 50 ms, the idle
worker is still alive; after go, join, no worker is. Paired with
pool_close_keeps_workers.scn."""
import multiprocessing as mp
import time

ctx = mp.get_context("fork")
started = ctx.Semaphore(0)
go = ctx.Event()


def held():
    started.release()
    go.wait()
    return 1


def whose():
    import os
    return os.getpid()


def alive(p, pid):
    return any(c.pid == pid and c.is_alive() for c in p._pool)


if __name__ == "__main__":
    p = ctx.Pool(2)
    r1 = p.apply_async(held)
    started.acquire()
    idle = p.apply_async(whose).get()
    p.close()
    time.sleep(0.05)
    print("closed, a task still running: the idle worker alive:", alive(p, idle), flush=True)
    go.set()
    r1.get()
    p.join()
    print("after join: the idle worker alive:", alive(p, idle), flush=True)
