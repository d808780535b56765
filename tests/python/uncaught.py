"""An uncaught exception ends the thread that raised it: in a process's
main thread the process exits with code 1 (multiprocessing's exitcode 1),
in another thread only that thread ends and the process goes on. CPython
prints each traceback on stderr; the pair compares their last lines (the
exception and its message) with procsim's traceback lines."""
import multiprocessing as mp
import queue
import threading


def child():
    raise ValueError("boom")


def getter(q):
    q.get(timeout=0.01)


def worker():
    t = (1, 2)
    return t[5]


if __name__ == "__main__":
    mp.set_start_method("fork")
    p = mp.Process(target=child)
    p.start()
    p.join()
    print("child exitcode", p.exitcode)
    q = mp.Queue()
    g = mp.Process(target=getter, args=(q,))
    g.start()
    g.join()
    print("getter exitcode", g.exitcode)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    print("main goes on after its thread's exception")
