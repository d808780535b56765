"""One Pipe, four children: each sends a message on the same end; the parent receives them."""
import time
from multiprocessing import Pipe, Process


def child(conn, i):
    time.sleep(0.1 * (i + 1))   # take turns: child i sends at (i + 1) * 0.1 s
    conn.send(f"hello from child {i}")


if __name__ == "__main__":
    parent_end, child_end = Pipe()
    kids = [Process(target=child, args=(child_end, i)) for i in range(4)]
    for k in kids:
        k.start()
    for _ in kids:
        print(parent_end.recv())
    for k in kids:
        k.join()
