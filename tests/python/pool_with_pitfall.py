"""The `with Pool() as p:` pitfall: leaving the block calls terminate(),
not close() and join(), so tasks still queued never run and the running
ones are killed. Pool(2) gets 4 tasks; each marks itself as run (a shared
Array made before the pool), says it has started, and waits for an event
nobody sets. The parent leaves the block once 2 tasks have started (the
other 2 are necessarily still queued: both workers are held). Afterwards
only tasks 0 and 1 ever ran, no result is ready, and get(timeout) raises
multiprocessing.TimeoutError. The fix, getting the results inside the
block, runs all 4. Paired with pool_with_pitfall.scn."""
import multiprocessing as mp

ctx = mp.get_context("fork")
ran = ctx.Array("i", 4)
started = ctx.Semaphore(0)
never = ctx.Event()


def held(i):
    ran[i] = 1
    started.release()
    never.wait()
    return i


def square(x):
    return x * x


if __name__ == "__main__":
    with ctx.Pool(2) as p:
        rs = [p.apply_async(held, (i,)) for i in range(4)]
        started.acquire()
        started.acquire()
        print("2 tasks started: leaving the block", flush=True)
    print("tasks that ran:", list(ran), flush=True)
    print("ready:", [r.ready() for r in rs], flush=True)
    try:
        rs[3].get(timeout=0.05)
    except mp.TimeoutError:
        print("get(timeout) of task 3: multiprocessing.TimeoutError", flush=True)
    with ctx.Pool(2) as p:
        rs = [p.apply_async(square, (i,)) for i in range(4)]
        print("with get inside the block:", [r.get() for r in rs], flush=True)
