"""multiprocessing's objects made at run time and their keyword arguments:
Queue, JoinableQueue, Value, Array, Lock, Event, Semaphore (lib/mp.py)."""
import queue
import time
from multiprocessing import Array, Event, JoinableQueue, Lock, Process, Queue, Semaphore, Value


def worker(q, jq, v, a, lock, ev):
    ev.wait(timeout=2)
    for i in range(3):
        q.put(i, timeout=1)
        jq.put(i * 10)
    with lock:
        v.value += 5
    a[1] = 42


if __name__ == "__main__":
    q = Queue(maxsize=5)
    jq = JoinableQueue()
    v = Value("i", 1)
    a = Array("i", [1, 2, 3])
    lock = Lock()
    ev = Event()
    sem = Semaphore(2)
    print("event set?", ev.is_set())
    p = Process(target=worker, args=(q, jq, v, a, lock, ev))
    p.start()
    time.sleep(0.1)
    ev.set()
    print("got", [q.get(timeout=1) for _ in range(3)])
    for _ in range(3):
        print("joinable", jq.get())
        jq.task_done()
    jq.join()
    p.join()
    print("value", v.value, "array", a[0], a[1], a[2], len(a))
    try:
        q.get(block=False)
    except queue.Empty:
        print("empty")
    print("acquire", sem.acquire(), sem.acquire(), sem.acquire(timeout=0.1))
    print("lock", lock.acquire(block=False), lock.acquire(block=False))
    lock.release()
    print("exit code", p.exitcode)
