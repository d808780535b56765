"""Executor.shutdown(wait=False, cancel_futures=True) cancels the items
still queued and returns at once; the running one goes on to its result.
One worker thread holds the first item (it says it runs, then waits for
`go`); the next two wait in the queue. Paired with executor_shutdown.scn."""
import concurrent.futures as cf
import threading

running = threading.Event()
go = threading.Event()


def blocker():
    running.set()
    go.wait()
    return 42


def square(x):
    return x * x


if __name__ == "__main__":
    ex = cf.ThreadPoolExecutor(1)
    f1 = ex.submit(blocker)
    running.wait()
    f2 = ex.submit(square, 2)
    f3 = ex.submit(square, 3)
    ex.shutdown(wait=False, cancel_futures=True)
    print("after shutdown: running", f1.running(), "cancelled", f2.cancelled(), f3.cancelled(), flush=True)
    go.set()
    print("the running one's result:", f1.result(), flush=True)
    try:
        f3.result()
    except cf.CancelledError:
        print("a queued one: CancelledError", flush=True)
