"""multiprocessing.Queue.put returns before the item is in the queue: it
takes a slot of the semaphore and appends the item to a buffer, which the
putting process's feeder thread pickles and writes into the queue's pipe
later. empty() asks whether the pipe is empty, so it is True right after a
put, even with full() True and qsize() 1 (both count the semaphore's
slots). get waits until the feeder has written the item.

In CPython the feeder has to win the GIL and pickle the item before the
main thread's empty() looks. The main thread usually wins that race, but
not always: a plain put-then-empty program printed True in 200 runs of 200
on a quiet machine, then in 994 and in 974 of 1000 on a busy one (CPython
3.11, 2 CPUs, load average 3.4 for the second thousand). To make it
certain, the item pickles itself (as 1) only once the main thread has
looked: the feeder thread, which does the pickling, waits for that."""
import multiprocessing as mp
import threading

ctx = mp.get_context("fork")
looked = threading.Event()


class Held:
    """Pickled as the int 1, by the feeder thread, after `looked` is set."""

    def __reduce__(self):
        looked.wait()
        return (int, (1,))


q = ctx.Queue(1)
q.put(Held())
print("empty", q.empty(), "full", q.full(), "qsize", q.qsize())
looked.set()
print("got", q.get())
print("empty", q.empty(), "full", q.full(), "qsize", q.qsize())
