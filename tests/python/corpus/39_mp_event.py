"""A multiprocessing Event: the parent waits until the child sets it."""
import time
from multiprocessing import Event, Process


def child(ready):
    time.sleep(0.2)
    print("child sets the event")
    ready.set()


if __name__ == "__main__":
    ready = Event()
    p = Process(target=child, args=(ready,))
    p.start()
    print("is set:", ready.is_set())
    ready.wait()
    print("parent saw the event:", ready.is_set())
    p.join()
