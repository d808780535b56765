"""Semaphore(2): at most two of four processes are inside at the same time."""
import time
from multiprocessing import Process, Semaphore, Value


def work(sem, inside, most):
    with sem:
        with inside.get_lock():
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(0.2)
        with inside.get_lock():
            inside.value -= 1


if __name__ == "__main__":
    sem = Semaphore(2)
    inside = Value("i", 0)
    most = Value("i", 0)
    ps = [Process(target=work, args=(sem, inside, most)) for _ in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("most inside at once:", most.value)
