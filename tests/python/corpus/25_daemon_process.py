"""A daemon Process is terminated when the main process exits."""
import time
from multiprocessing import Process


def forever():
    print("daemon started")
    while True:
        time.sleep(0.1)


if __name__ == "__main__":
    p = Process(target=forever, daemon=True)
    print("daemon:", p.daemon)
    p.start()
    time.sleep(0.2)
    print("main exits; the daemon is terminated")
