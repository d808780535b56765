"""An RLock can be taken again by the thread that holds it; a Lock cannot."""
import threading

rlock = threading.RLock()
lock = threading.Lock()

with rlock:
    with rlock:
        print("took the RLock twice")

lock.acquire()
print("second acquire of a Lock without blocking:", lock.acquire(blocking=False))
lock.release()
print("after release:", lock.acquire(blocking=False))
lock.release()
print("locked now:", lock.locked())
