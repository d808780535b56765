"""starmap unpacks each item into the arguments; map_async returns at once
and calls its callback once, with the whole list of results in order, in
the parent's result-handler thread, before get() returns; a failing item
calls error_callback once with the exception, and get() raises it.
Paired with pool_map_async.scn."""
import multiprocessing as mp
import threading

ctx = mp.get_context("fork")


def add(a, b):
    return a + b


def square(x):
    return x * x


def bad(x):
    if x == 3:
        raise ValueError("bad item 3")
    return x


def cb(v):
    print("callback:", v, "in the main thread:",
          threading.current_thread() is threading.main_thread(), flush=True)


def ecb(e):
    print("error_callback:", e, flush=True)


if __name__ == "__main__":
    p = ctx.Pool(2)
    print("starmap:", p.starmap(add, [(1, 2), (3, 4), (5, 6)]), flush=True)
    r = p.map_async(square, range(6), callback=cb)
    print("map_async get:", r.get(), flush=True)
    r = p.map_async(bad, range(6), callback=cb, error_callback=ecb)
    try:
        r.get()
    except ValueError as e:
        print("map_async get raised ValueError:", e, flush=True)
    print("successful:", r.successful(), flush=True)
    p.close()
    p.join()
