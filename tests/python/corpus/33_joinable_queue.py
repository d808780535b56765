"""JoinableQueue: q.join() returns once every item has been marked task_done()."""
from multiprocessing import JoinableQueue, Process


def worker(q):
    while True:
        item = q.get()
        print("processing", item)
        q.task_done()


if __name__ == "__main__":
    q = JoinableQueue()
    w = Process(target=worker, args=(q,), daemon=True)
    w.start()
    for item in ["a", "b", "c"]:
        q.put(item)
    q.join()
    print("all items processed")
