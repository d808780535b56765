"""ThreadPoolExecutor's futures. One worker thread: the first item runs (it
says so with an event, then waits for `go`), the second waits in the
queue. cancel() fails on the running future and succeeds on the queued
one, whose result() then raises CancelledError; result(timeout) on the
running one raises TimeoutError. A done callback added before the end
runs in the worker thread that finishes the future; one added after runs
at once in the caller. An exception in an item is raised by result() and
returned by exception(); submit after shutdown raises RuntimeError.
Paired with threadpool_futures.scn."""
import concurrent.futures as cf
import threading

running = threading.Event()
go = threading.Event()
called = threading.Event()


def blocker():
    running.set()
    go.wait()
    return 42


def square(x):
    return x * x


def bad():
    raise ValueError("bad")


def cb(fu):
    print("done callback:", fu.result(), "in the main thread:",
          threading.current_thread() is threading.main_thread(), flush=True)
    called.set()


if __name__ == "__main__":
    ex = cf.ThreadPoolExecutor(1)
    f1 = ex.submit(blocker)
    running.wait()
    f2 = ex.submit(square, 3)
    print("running:", f1.running(), "done:", f1.done(), flush=True)
    print("cancel the running one:", f1.cancel(), flush=True)
    print("cancel the queued one:", f2.cancel(), flush=True)
    print("cancelled:", f2.cancelled(), "done:", f2.done(), flush=True)
    try:
        f2.result()
    except cf.CancelledError:
        print("result of the cancelled one: CancelledError", flush=True)
    try:
        f1.result(timeout=0.05)
    except TimeoutError:
        print("result(timeout) of the running one: TimeoutError", flush=True)
    f1.add_done_callback(cb)
    go.set()
    v = f1.result()
    called.wait()
    print("result:", v, "done:", f1.done(), flush=True)
    f1.add_done_callback(cb)
    f3 = ex.submit(bad)
    try:
        f3.result()
    except ValueError as e:
        print("result raised ValueError:", e, flush=True)
    print("exception():", f3.exception(), flush=True)
    print("a new item after that:", ex.submit(square, 5).result(), flush=True)
    ex.shutdown()
    try:
        ex.submit(square, 1)
    except RuntimeError as e:
        print("submit after shutdown: RuntimeError:", e, flush=True)
