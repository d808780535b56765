"""A shared counter: a race without a lock, and the fix with one.

`counter.value += 1` is three steps (read, add, write); two processes doing
it at the same time can lose updates. Holding the Value's lock makes the
three steps one. The racy total depends on timing, so we print only
whether it is right; the locked total is always right.
"""
from multiprocessing import Process, Value


def add(counter, n, use_lock):
    for _ in range(n):
        if use_lock:
            with counter.get_lock():
                counter.value += 1
        else:
            counter.value += 1


def run(use_lock):
    counter = Value("i", 0)
    ps = [Process(target=add, args=(counter, 50_000, use_lock)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return counter.value


if __name__ == "__main__":
    print("without the lock, at most 100,000:", run(False) <= 100_000)
    print(f"with the lock: {run(True):,}")
