"""Pool(5) with 5 tasks: all five start at once. As in pool_4_of_5.py every
task says it has started and waits for `go`; here the parent's five waits
for "started" all return before it sets `go` (were one task left waiting
for a worker, the parent would wait forever and the pair would fail by its
timeout). Paired with pool_5_of_5.scn."""
import multiprocessing as mp
import os

ctx = mp.get_context("fork")
go = ctx.Event()
started = ctx.Semaphore(0)


def task(i):
    at_once = not go.is_set()
    started.release()
    go.wait()
    return (i, at_once, os.getpid())


if __name__ == "__main__":
    p = ctx.Pool(5)
    rs = [p.apply_async(task, (i,)) for i in range(5)]
    for _ in range(5):
        started.acquire()
    print("5 tasks started before go", flush=True)
    go.set()
    pids = []
    for r in rs:
        i, at_once, pid = r.get()
        pids.append(pid)
        print("task", i, "started at once:", at_once, flush=True)
    print("workers used:", len(set(pids)), flush=True)
    p.close()
    p.join()
