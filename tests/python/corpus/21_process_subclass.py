"""A Process subclass overrides run(); start() runs it in a new process."""
import os
from multiprocessing import Process


class Worker(Process):
    def __init__(self, number):
        super().__init__()
        self.number = number

    def run(self):
        print("worker", self.number, "in a child:", os.getpid() != parent)


if __name__ == "__main__":
    parent = os.getpid()
    for n in range(3):
        w = Worker(n)
        w.start()
        w.join()
    print("all workers done")
