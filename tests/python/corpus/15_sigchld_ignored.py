"""With SIGCHLD ignored, children are reaped at once: no zombies, and wait() finds none."""
import os
import signal
import time

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    os._exit(0)

time.sleep(0.2)
try:
    os.wait()
    print("found a child")
except ChildProcessError:
    print("no child to wait for: it was reaped automatically")
