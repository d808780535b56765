"""Python-level signal handlers always run in the main thread, and a main
thread blocked in join() is woken to run one: the join's lock acquire is
interrupted, the handler runs, and the acquire is retried.

A worker sends SIGUSR1 to its own process and waits on an Event that only
the handler sets. Main is in worker.join() all along: if the handler could
not run until the join ended, the worker would wait forever (it gives up
after 10 s and says so)."""
import os
import signal
import threading

handled = threading.Event()


def on_usr1(signum, frame):
    if threading.current_thread() is threading.main_thread():
        print("handler runs in the main thread", flush=True)
    else:
        print("handler runs in another thread", flush=True)
    handled.set()


def worker():
    os.kill(os.getpid(), signal.SIGUSR1)
    if handled.wait(10):
        print("worker: the handler has run", flush=True)
    else:
        print("worker: the handler never ran during the join", flush=True)


signal.signal(signal.SIGUSR1, on_usr1)
t = threading.Thread(target=worker)
t.start()
t.join()
print("main: joined", flush=True)
