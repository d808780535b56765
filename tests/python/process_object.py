# The Process object: join with a timeout, is_alive, exitcode after an exit
# and after terminate(), a daemonic process that may not start children,
# and a daemon child terminated when its parent ends.
# Paired with process_object.scn. Every outcome is fixed by the programs'
# own synchronisation: the first child waits for an event that is set only
# after the timed join; the daemon tells its parent it is ready (its SIGTERM
# handler installed) before the parent ends.
import multiprocessing as mp
import signal
import sys
import time


def waiter(ev):
    ev.wait()
    sys.exit(3)


def spinner():
    while True:
        time.sleep(0.01)


def nothing():
    pass


def on_term(sig, frame):
    print("daemon: got SIGTERM", flush=True)
    sys.exit(0)


def daemon_child(ready):
    signal.signal(signal.SIGTERM, on_term)
    try:
        mp.Process(target=nothing).start()
    except AssertionError as e:
        print("daemon:", e, flush=True)
    ready.set()
    time.sleep(1000)


def parent(ready):
    d = mp.Process(target=daemon_child, args=(ready,), daemon=True)
    d.start()
    ready.wait()
    print("parent: daemon ready, ending", flush=True)


if __name__ == "__main__":
    mp.set_start_method("fork")
    ev = mp.Event()
    p = mp.Process(target=waiter, args=(ev,))
    p.start()
    p.join(timeout=0.2)
    print("after join timeout:", p.is_alive(), p.exitcode, flush=True)
    ev.set()
    p.join()
    print("after join:", p.is_alive(), p.exitcode, flush=True)
    q = mp.Process(target=spinner)
    q.start()
    q.terminate()
    q.join()
    print("terminated:", q.is_alive(), q.exitcode, flush=True)
    ready = mp.Event()
    r = mp.Process(target=parent, args=(ready,))
    r.start()
    r.join()
