"""multiprocessing.Process runs a function in a child; join() waits for it."""
from multiprocessing import Process


def greet(name):
    print("hello", name)


if __name__ == "__main__":
    p = Process(target=greet, args=("bob",))
    p.start()
    p.join()
    print("child finished with exit code", p.exitcode)
