"""get(timeout=...) on an empty Queue raises queue.Empty after the timeout."""
import queue
import time
from multiprocessing import Queue

if __name__ == "__main__":
    q = Queue()
    start = time.time()
    try:
        q.get(timeout=0.3)
    except queue.Empty:
        print("empty after at least 0.3 s:", round(time.time() - start, 2) >= 0.3)
    q.put("x")
    print("got", q.get(timeout=1))
