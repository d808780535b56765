"""A multiprocessing Lock lets one process at a time into its critical section."""
import time
from multiprocessing import Lock, Process


def work(lock, i):
    time.sleep(0.1 * i)         # arrive in order 0, 1, 2
    with lock:
        print("process", i, "has the lock")
        time.sleep(0.3)         # the others arrive while it is held
        print("process", i, "releases it")


if __name__ == "__main__":
    lock = Lock()
    ps = [Process(target=work, args=(lock, i)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
