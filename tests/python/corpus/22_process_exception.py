"""An exception in a Process's target ends that child with exit code 1 and a traceback."""
from multiprocessing import Process


def fail():
    raise ValueError("something went wrong")


if __name__ == "__main__":
    p = Process(target=fail)
    p.start()
    p.join()
    print("exit code:", p.exitcode)
