"""multiprocessing.JoinableQueue: every put counts an unfinished task, every
task_done() finishes one, and join() blocks until none is left. Calling
task_done() more times than items were put raises ValueError.

The consumer prints each item before its task_done, so its lines come
before the parent's join returns. It calls the extra task_done only after
the parent has printed (the `finished` event), and the parent prints the
consumer's exit code after joining it: the order of the lines is fixed."""
import multiprocessing as mp

ctx = mp.get_context("fork")
q = ctx.JoinableQueue()
finished = ctx.Event()


def consumer():
    for _ in range(3):
        x = q.get()
        print("got", x, flush=True)
        q.task_done()
    finished.wait()
    try:
        q.task_done()
    except ValueError as e:
        print(type(e).__name__, e, flush=True)


c = ctx.Process(target=consumer)
c.start()
q.put(1)
q.put(2)
q.put(3)
q.join()
print("join returned: every item is done", flush=True)
finished.set()
c.join()
print("consumer exitcode", c.exitcode, flush=True)
