"""signal.alarm and signal.pause: a process asks to be woken up later.

alarm(1) asks the kernel for SIGALRM in one second; pause() sleeps (S)
until a signal arrives. The handler runs first, then pause() returns.
"""
import signal
import time


def ring(signum, frame):
    print("handler: got SIGALRM:", signum == signal.SIGALRM)


signal.signal(signal.SIGALRM, ring)    # what to do when SIGALRM arrives
start = time.time()
signal.alarm(1)                        # SIGALRM in 1 second
print("pausing until a signal comes")
signal.pause()
print("pause returned after", round(time.time() - start), "s")
