"""os.wait/os.waitpid give the raw status; the W* macros and
waitstatus_to_exitcode read it (lib/os_.py)."""
import os
import signal
import time

codes = {}
for code in (0, 3, 255):
    pid = os.fork()
    if pid == 0:
        os._exit(code)
    codes[pid] = code
    pid2, status = os.waitpid(pid, 0)
    print("exit", code, "raw", status, "exited", os.WIFEXITED(status),
          "code", os.WEXITSTATUS(status), "signaled", os.WIFSIGNALED(status),
          "to_exitcode", os.waitstatus_to_exitcode(status))

pid = os.fork()
if pid == 0:
    time.sleep(5)
    os._exit(0)
os.kill(pid, signal.SIGTERM)
got, status = os.wait()
print("killed: pid matches", got == pid, "raw", status, "signaled", os.WIFSIGNALED(status),
      "sig", os.WTERMSIG(status), "to_exitcode", os.waitstatus_to_exitcode(status))

pid = os.fork()
if pid == 0:
    time.sleep(0.2)
    os._exit(7)
print("nohang while running:", os.waitpid(pid, os.WNOHANG))
time.sleep(0.4)
got, status = os.waitpid(-1, os.WNOHANG)
print("nohang after:", got == pid, os.WEXITSTATUS(status))
try:
    os.wait()
except OSError as e:
    print("no child left:", e)
