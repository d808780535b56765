"""Producer and consumer processes talking through a multiprocessing.Queue.

The producer is faster than the consumer: in the window, the queue fills
up, and the consumer is R while it works and S while it waits in get().
None is the "no more items" signal (a sentinel).
"""
import time
from multiprocessing import Process, Queue


def producer(q):
    for i in range(5):
        q.put(f"job {i}")
        time.sleep(0.1)
    q.put(None)                    # tell the consumer to stop


def consumer(q):
    while True:
        item = q.get()             # blocks (state S) until an item arrives
        if item is None:
            break
        print("consumer got", item)
        time.sleep(0.25)           # slower than the producer: the queue grows


if __name__ == "__main__":
    q = Queue()
    p = Process(target=producer, args=(q,))
    c = Process(target=consumer, args=(q,))
    p.start()
    c.start()
    p.join()
    c.join()
    print("both processes are done")
