"""ProcessPoolExecutor(2) (fork): both workers exist from the first submit;
the executor moves items into a call queue of max_workers + 1 = 3 items
and marks them running as it does, so only items beyond that can be
cancelled. Items 0 and 1 hold the two workers (they say they started,
then wait for `go`); of items 2-5, submitted then, the executor moves 2, 3
and 4 into the call queue (the program waits until item 4 shows running),
and item 5 stays pending: only its cancel() succeeds. Results, and done
callbacks, come back through the owner's manager thread. Paired with
processpool_futures.scn."""
import concurrent.futures as cf
import multiprocessing as mp
import os
import threading
import time

ctx = mp.get_context("fork")
started = ctx.Semaphore(0)
go = ctx.Event()
called = threading.Event()
parent = os.getpid()


def held(x):
    started.release()
    go.wait()
    return x * x


def cb(fu):
    print("done callback:", fu.result(), "in the main thread:",
          threading.current_thread() is threading.main_thread(),
          "in the parent:", os.getpid() == parent, flush=True)
    called.set()


if __name__ == "__main__":
    ex = cf.ProcessPoolExecutor(2, mp_context=ctx)
    fs = [ex.submit(held, i) for i in range(2)]
    started.acquire()
    started.acquire()
    fs += [ex.submit(held, i) for i in range(2, 6)]
    while not fs[4].running():
        time.sleep(0.001)
    print("running:", [f.running() for f in fs], flush=True)
    print("cancel:", [f.cancel() for f in fs], flush=True)
    fs[0].add_done_callback(cb)
    go.set()
    called.wait()
    print("results:", [f.result() for f in fs[:5]], flush=True)
    try:
        fs[5].result()
    except cf.CancelledError:
        print("item 5: CancelledError", flush=True)
    ex.shutdown()
    try:
        ex.submit(held, 1)
    except RuntimeError as e:
        print("submit after shutdown: RuntimeError:", e, flush=True)
