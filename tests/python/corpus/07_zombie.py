"""A child that has exited stays a zombie until its parent waits; then it is gone."""
import os
import time

pid = os.fork()
if pid == 0:
    print("child exits")
    os._exit(3)

time.sleep(0.2)   # the child is a zombie now: exited, not yet waited for
got, status = os.waitpid(pid, os.WNOHANG)
print("reaped the zombie:", got == pid, "status", os.WEXITSTATUS(status))
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print("waiting again:", e)
