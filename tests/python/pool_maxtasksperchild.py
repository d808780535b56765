"""maxtasksperchild: a worker that has done that many tasks exits and the
pool forks a new one in its place (a new pid). Pool(1, maxtasksperchild=2)
runs 6 tasks: 3 workers, two tasks each, one after the other. Each task
returns its pid; the program prints them as the number of the worker
(0 for the first pid seen, 1 for the next...). Pool(2, maxtasksperchild=1)
uses a new worker for every one of its 4 tasks. Without the limit, Pool(1)
runs all 6 in one worker. Paired with pool_maxtasksperchild.scn."""
import multiprocessing as mp
import os

ctx = mp.get_context("fork")


def whose(x):
    return os.getpid()


def numbered(pids):
    seen = []
    out = []
    for pid in pids:
        if pid not in seen:
            seen.append(pid)
        out.append(seen.index(pid))
    return out


def show(workers, n, limit):
    if limit is None:
        p = ctx.Pool(workers)
    else:
        p = ctx.Pool(workers, maxtasksperchild=limit)
    rs = [p.apply_async(whose, (i,)) for i in range(n)]
    pids = [r.get() for r in rs]
    p.close()
    p.join()
    w = numbered(pids)
    print("Pool(%d) maxtasksperchild=%s, %d tasks: workers" % (workers, limit, n), w,
          "distinct:", len(set(pids)), flush=True)


if __name__ == "__main__":
    show(1, 6, 2)
    show(2, 4, 1)
    show(1, 6, None)
