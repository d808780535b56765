"""A child that ignores SIGTERM survives it; SIGKILL cannot be ignored."""
import os
import signal
import time

pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(0.5)
    print("child still alive after SIGTERM")
    time.sleep(10)
    os._exit(0)

time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
time.sleep(0.7)
os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
print("killed by signal", os.WTERMSIG(status))
