"""threading: names, current_thread, Timer.cancel, local, active_count,
Lock with timeout (lib/threading_.py, prelude/threading.py)."""
import threading
import time

data = threading.local()


def work(n):
    data.n = n
    time.sleep(0.1 * n)
    print(threading.current_thread().name, "has", data.n)


def hello():
    print("timer fired")


if __name__ == "__main__":
    print(threading.current_thread().name)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(1, 3)]
    named = threading.Thread(target=work, args=(3,), name="third")
    for t in ts + [named]:
        t.start()
    print("alive:", threading.active_count())
    for t in ts + [named]:
        t.join()
    print("alive after:", threading.active_count(), ts[0].is_alive())
    t1 = threading.Timer(0.2, hello)
    t2 = threading.Timer(0.1, hello)
    t1.start()
    t2.start()
    t2.cancel()
    t1.join()
    lock = threading.Lock()
    lock.acquire()
    print("second acquire:", lock.acquire(timeout=0.05))
    lock.release()
    data.n = "main"
    print("main has", data.n)
