"""Three producers share one Queue; the parent gets their items in the order they were put."""
import time
from multiprocessing import Process, Queue


def producer(q, i):
    time.sleep(0.1 * (i + 1))
    q.put((i, f"from producer {i}"))


if __name__ == "__main__":
    q = Queue()
    ps = [Process(target=producer, args=(q, i)) for i in range(3)]
    for p in ps:
        p.start()
    for _ in ps:
        number, text = q.get()
        print(number, text)
    for p in ps:
        p.join()
    print("queue empty:", q.empty())
