"""A producer puts numbers on a Queue, a consumer takes them until it gets None."""
from multiprocessing import Process, Queue


def producer(q):
    for i in range(5):
        q.put(i * 10)
    q.put(None)


def consumer(q):
    while True:
        item = q.get()
        if item is None:
            break
        print("consumed", item)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=producer, args=(q,))
    c = Process(target=consumer, args=(q,))
    p.start()
    c.start()
    p.join()
    c.join()
    print("done")
