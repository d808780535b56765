"""The parent ends a sleeping child with SIGTERM; waitpid says which signal killed it."""
import os
import signal
import time

pid = os.fork()
if pid == 0:
    time.sleep(10)
    os._exit(0)

time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
_, status = os.waitpid(pid, 0)
print("exited normally:", os.WIFEXITED(status))
print("killed by a signal:", os.WIFSIGNALED(status))
print("signal number:", os.WTERMSIG(status), "is SIGTERM:", os.WTERMSIG(status) == signal.SIGTERM)
