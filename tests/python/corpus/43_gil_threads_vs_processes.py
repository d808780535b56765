"""CPU work in threads (one GIL) and in processes gives the same answers; only timing differs."""
import threading
from multiprocessing import Pool


def count(n):
    s = 0
    for i in range(n):
        s += i % 7
    return s


results = [0, 0]


def in_thread(k):
    results[k] = count(20000)


if __name__ == "__main__":
    ts = [threading.Thread(target=in_thread, args=(k,)) for k in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    with Pool(2) as pool:
        by_processes = pool.map(count, [20000, 20000])
    print("threads and processes agree:", results == by_processes)
    print("one thread alone agrees:", count(20000) == results[0])
