"""A multiprocessing Lock lets one process at a time into its critical section."""
import time
from multiprocessing import Lock, Process


def work(lock, i):
    time.sleep(0.2 * i)         # arrive at 0, 0.2 and 0.4 s
    with lock:
        print("process", i, "has the lock")
        time.sleep(0.3)         # the next one arrives while it is held, and waits
        print("process", i, "releases it")


if __name__ == "__main__":
    lock = Lock()
    ps = [Process(target=work, args=(lock, i)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
