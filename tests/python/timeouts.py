"""Timeouts on lock.acquire, Semaphore.acquire and Event.wait return
whether they succeeded, as the Process object's join(timeout) gives up
without an error. A second thread holds the lock until told to let go."""
import threading

lock = threading.Lock()
sem = threading.Semaphore(1)
ev = threading.Event()
held = threading.Event()
done = threading.Event()


def holder():
    lock.acquire()
    held.set()
    done.wait()
    lock.release()


t = threading.Thread(target=holder)
t.start()
held.wait()
print("acquire timeout while held", lock.acquire(timeout=0.05))
print("acquire nowait while held", lock.acquire(blocking=False))
print("event wait timeout", ev.wait(timeout=0.05))
ev.set()
print("event wait when set", ev.wait(timeout=0.05))
print("semaphore nowait", sem.acquire(blocking=False), sem.acquire(blocking=False))
done.set()
t.join()
print("acquire after release", lock.acquire(timeout=0.05))
