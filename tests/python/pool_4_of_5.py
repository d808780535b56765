"""The notes' Pool(4) with 5 tasks: tasks 0-3 start at once, task 4 waits
for a free worker. Every task says it has started (a semaphore) and then
waits for the event `go`; the parent waits until 4 tasks have started,
looks (task 4 is not ready: it cannot have started, since every worker is
busy), and only then sets `go`. Each task returns whether `go` was still
clear when it started: True for tasks 0-3, False for task 4, which started
only when a worker came free. Nothing depends on timing: the workers are
held by the event until the parent has looked. Paired with pool_4_of_5.scn."""
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
    p = ctx.Pool(4)
    rs = [p.apply_async(task, (i,)) for i in range(5)]
    for _ in range(4):
        started.acquire()
    print("4 tasks started; task 4 ready:", rs[4].ready(), flush=True)
    go.set()
    pids = []
    for r in rs:
        i, at_once, pid = r.get()
        pids.append(pid)
        print("task", i, "started at once:", at_once, flush=True)
    print("workers used:", len(set(pids)), flush=True)
    print("task 4 ran in a worker that had run an earlier task:", pids[4] in pids[:4], flush=True)
    p.close()
    p.join()
