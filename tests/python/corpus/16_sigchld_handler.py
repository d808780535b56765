"""A SIGCHLD handler reaps the child that has just exited."""
import os
import signal
import time

reaped = []


def on_child(signum, frame):
    pid, status = os.waitpid(-1, os.WNOHANG)
    reaped.append(os.WEXITSTATUS(status))


signal.signal(signal.SIGCHLD, on_child)
pid = os.fork()
if pid == 0:
    time.sleep(0.1)
    os._exit(9)

time.sleep(0.5)     # the handler runs while we sleep; sleep then resumes
print("handler reaped a child with exit code", reaped)
