"""SIGSTOP stops a child (waitpid with WUNTRACED sees it); SIGCONT lets it go on."""
import os
import signal
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.4)
    print("child finished its sleep")
    os._exit(0)

time.sleep(0.1)
os.kill(pid, signal.SIGSTOP)
_, status = os.waitpid(pid, os.WUNTRACED)
print("stopped:", os.WIFSTOPPED(status), "by signal", os.WSTOPSIG(status))
os.kill(pid, signal.SIGCONT)
_, status = os.waitpid(pid, 0)
print("exited:", os.WIFEXITED(status), "code", os.WEXITSTATUS(status))
