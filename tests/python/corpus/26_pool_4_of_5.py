"""Pool(4) with 5 tasks: four run at once, the fifth waits for a free worker."""
import os
import time
from multiprocessing import Pool


def task(n):
    time.sleep(0.2)
    return n * n, os.getpid()


if __name__ == "__main__":
    with Pool(4) as pool:
        results = pool.map(task, range(5))
    print("results:", [r for r, _ in results])
    workers = set(pid for _, pid in results)
    print("at most 4 workers:", len(workers) <= 4)
    print("none is the parent:", os.getpid() not in workers)
