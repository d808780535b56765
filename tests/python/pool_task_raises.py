"""A task that raises: the exception comes back to the caller, raised by
get() (and by apply), with its class and message; the worker survives.
Pool(1) has one worker: the pid that serves the tasks after the failures
is the one that served the task before them. In map, one failing item
makes the whole map raise. Paired with pool_task_raises.scn."""
import multiprocessing as mp
import os

ctx = mp.get_context("fork")


def whose():
    return os.getpid()


def bad(x):
    if x == 3:
        raise ValueError("bad item 3")
    return x


if __name__ == "__main__":
    p = ctx.Pool(1)
    before = p.apply(whose)
    r = p.apply_async(bad, (3,))
    try:
        r.get()
    except ValueError as e:
        print("get raised ValueError:", e, flush=True)
    print("ready:", r.ready(), "successful:", r.successful(), flush=True)
    try:
        p.apply(bad, (3,))
    except ValueError as e:
        print("apply raised ValueError:", e, flush=True)
    try:
        p.map(bad, range(6))
    except ValueError as e:
        print("map raised ValueError:", e, flush=True)
    print("the same worker serves the next task:", p.apply(whose) == before, flush=True)
    print("ok tasks still work:", p.apply(bad, (5,)), flush=True)
    p.close()
    p.join()
