"""queue.Queue between threads: a producer thread and a consumer thread."""
import queue
import threading

q = queue.Queue()


def producer():
    for i in range(4):
        q.put(f"item {i}")
    q.put(None)


def consumer():
    while True:
        item = q.get()
        if item is None:
            break
        print("got", item)


threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("queue empty:", q.empty())
