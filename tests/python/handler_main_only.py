"""CPython runs Python signal handlers in the main thread only, even when
the kernel gives the signal to another thread.

The main thread blocks SIGUSR1 (signal.pthread_sigmask) after starting a
worker, which does not: the kernel delivers SIGUSR1 to the worker, asleep
in an Event wait. The worker's C-level handler only notes the signal; the
Python handler runs in the main thread, which naps until it has run (the
main thread is not woken for it: it runs the handler between two bytecodes
once it is back from a nap)."""
import os
import signal
import threading
import time

handled = False
go = threading.Event()


def on_usr1(signum, frame):
    global handled
    if threading.current_thread() is threading.main_thread():
        print("handler runs in the main thread", flush=True)
    else:
        print("handler runs in another thread", flush=True)
    handled = True


def worker():
    go.wait()
    print("worker: done", flush=True)


signal.signal(signal.SIGUSR1, on_usr1)
t = threading.Thread(target=worker)
t.start()
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
os.kill(os.getpid(), signal.SIGUSR1)
while not handled:
    time.sleep(0.001)
print("main: the handler ran although the main thread blocks SIGUSR1", flush=True)
go.set()
t.join()
print("main: joined", flush=True)
