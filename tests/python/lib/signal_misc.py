"""signal: handlers get (signum, frame); SIG_IGN and SIG_DFL; Signals and
strsignal; alarm and pause (lib/signal_.py)."""
import os
import signal
import time


def on_usr(signum, frame):
    print("handler:", signum, signal.Signals(signum).name, frame is None or True)


signal.signal(signal.SIGUSR1, on_usr)
signal.signal(signal.SIGUSR2, on_usr)
os.kill(os.getpid(), signal.SIGUSR1)
os.kill(os.getpid(), signal.SIGUSR2)
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGUSR1)
print("ignored SIGUSR1")
print("names:", signal.Signals(15).name, signal.Signals(9).name, signal.strsignal(2))
print("numbers:", int(signal.SIGCHLD), int(signal.SIGCONT), int(signal.SIGALRM))


def on_alarm(signum, frame):
    print("alarm", signum)


signal.signal(signal.SIGALRM, on_alarm)
start = time.time()
signal.alarm(1)
signal.pause()
print("paused about", round(time.time() - start, 1), "s")

pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    time.sleep(5)
    os._exit(0)
time.sleep(0.1)
os.kill(pid, signal.SIGUSR1)
_, status = os.waitpid(pid, 0)
print("child with SIG_DFL died of", os.WTERMSIG(status))
