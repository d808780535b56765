"""PEP 475 (Python 3.5+): time.sleep and os.waitpid go on after a signal
handler that returns, where C's sleep and waitpid end early with EINTR.

A child waits until the parent sleeps (state S in /proc), then sends it
SIGUSR1; the parent's time.sleep(1.0) still lasts the whole second. Then a
second child sends SIGUSR1 while the parent is in os.waitpid for it, and
only exits (with 7) once the handler has run: the waitpid is retried and
returns that child and its status."""
import os
import signal
import time

handled_r, handled_w = os.pipe()


def on_usr1(signum, frame):
    print("handler ran", flush=True)
    os.write(handled_w, b"x")


def wait_until_asleep(pid):
    for _ in range(5000):
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "S":
                return
        time.sleep(0.001)
    print("UNEXPECTED: the parent never went to sleep", flush=True)


def child(exit_code, wait_for_handler):
    wait_until_asleep(os.getppid())
    os.kill(os.getppid(), signal.SIGUSR1)
    if wait_for_handler:
        os.read(handled_r, 1)
    os._exit(exit_code)


signal.signal(signal.SIGUSR1, on_usr1)

kid = os.fork()
if kid == 0:
    child(0, False)
start = time.monotonic()
time.sleep(1.0)
if time.monotonic() - start >= 1.0:
    print("time.sleep(1.0) slept the whole second", flush=True)
else:
    print("time.sleep(1.0) was cut short", flush=True)
os.waitpid(kid, 0)
os.read(handled_r, 1)

kid = os.fork()
if kid == 0:
    child(7, True)
pid, status = os.waitpid(kid, 0)
if pid == kid:
    print("waitpid returned the child, exit status", os.waitstatus_to_exitcode(status), flush=True)
else:
    print("waitpid returned", pid, flush=True)
