"""WNOHANG: waitpid returns (0, 0) while the child still runs, its pid once it has ended."""
import os
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.2)
    os._exit(5)

print("still running:", os.waitpid(pid, os.WNOHANG))
time.sleep(0.4)
got, status = os.waitpid(pid, os.WNOHANG)
print("ended:", got == pid, "exit code", os.WEXITSTATUS(status))
