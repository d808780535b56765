"""Pool workers are Process objects named ForkPoolWorker-N, numbered with the Process objects the program makes; the initializer runs first in each worker."""
import time
from multiprocessing import Pool, Process, current_process


def who(x):
    time.sleep(0.2)
    me = current_process()
    return (me.name, me.daemon, greeting)


def setup(word, mark):
    global greeting
    greeting = word + mark


def child():
    print("child", current_process().name)


greeting = "unset"

if __name__ == "__main__":
    p = Process(target=child)
    p.start()
    p.join()
    with Pool(2, initializer=setup, initargs=("hello", "!")) as pool:
        print(sorted(set(pool.map(who, range(2), chunksize=1))))
    with Pool(processes=1) as pool:
        print(pool.apply(who, (0,)))
    q = Process(target=child)
    q.start()
    q.join()
    print(current_process().name, greeting)
