"""p.exitcode read after the child has ended, without join() or is_alive(): CPython's property polls the child (waitpid WNOHANG), so the code shows and the child is reaped."""
import os
import sys
import time
from multiprocessing import Process


def work(code):
    sys.exit(code)


class Job:
    def __init__(self):
        self.exitcode = "not a process"


if __name__ == "__main__":
    p = Process(target=work, args=(3,))
    print("before start:", p.exitcode)
    p.start()
    time.sleep(0.5)
    print("ended, no join:", p.exitcode)
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        print("already reaped by the exitcode read")
    procs = [Process(target=work, args=(i,)) for i in range(2)]
    for q in procs:
        q.start()
    time.sleep(0.5)
    print("codes:", [q.exitcode for q in procs])
    print("a class's own exitcode:", Job().exitcode)
    p.join()
    print("after join:", p.exitcode)
