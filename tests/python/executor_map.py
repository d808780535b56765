"""Executor.map gives the results in the order of the items, whatever
order they finish in. With two worker threads, item 0 waits until item 3
has run (an event), so it finishes after item 3, yet comes first. The
same with ProcessPoolExecutor. An item that raises makes map raise it
(list() of its results). Paired with executor_map.scn."""
import concurrent.futures as cf
import multiprocessing as mp
import threading

ctx = mp.get_context("fork")
three = threading.Event()
finished = []


def slow_first(x):
    if x == 0:
        three.wait()
    if x == 3:
        three.set()
    finished.append(x)
    return x * x


def square(x):
    return x * x


def bad(x):
    if x == 2:
        raise ValueError("bad item 2")
    return x


if __name__ == "__main__":
    with cf.ThreadPoolExecutor(2) as ex:
        print("thread map:", list(ex.map(slow_first, range(6))), flush=True)
    print("item 0 finished after item 3:", finished.index(0) > finished.index(3), flush=True)
    with cf.ProcessPoolExecutor(2, mp_context=ctx) as ex:
        print("process map:", list(ex.map(square, range(6))), flush=True)
        try:
            list(ex.map(bad, range(5)))
        except ValueError as e:
            print("map raised ValueError:", e, flush=True)
