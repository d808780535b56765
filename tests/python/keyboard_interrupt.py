# Ctrl-C in CPython: SIGINT's handler at start raises KeyboardInterrupt in
# the main thread; an interrupted time.sleep raises it instead of going on.
# Uncaught, it prints a traceback and (since 3.8) ends the process by SIGINT.
import os
import signal
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.05)
    os.kill(os.getppid(), signal.SIGINT)
    os._exit(0)
try:
    time.sleep(5)
    print("not reached")
except KeyboardInterrupt:
    print("KeyboardInterrupt in the sleep", flush=True)
os.waitpid(pid, 0)
pid = os.fork()
if pid == 0:
    time.sleep(5)
    os._exit(0)
time.sleep(0.05)
os.kill(pid, signal.SIGINT)
_, st = os.waitpid(pid, 0)
print("child signaled", os.WIFSIGNALED(st) == True, os.WTERMSIG(st))
