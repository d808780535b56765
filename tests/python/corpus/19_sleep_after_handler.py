"""PEP 475: time.sleep goes on sleeping after a signal handler has run."""
import os
import signal
import time


def handler(signum, frame):
    print("handler ran")


signal.signal(signal.SIGUSR1, handler)
parent = os.getpid()
pid = os.fork()
if pid == 0:
    time.sleep(0.1)
    os.kill(parent, signal.SIGUSR1)
    os._exit(0)

start = time.time()
time.sleep(0.5)
print("slept the whole 0.5 s:", round(time.time() - start, 2) >= 0.5)
os.waitpid(pid, 0)
