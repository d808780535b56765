"""Seed: handlers, alarm, ignored and default signals, kill of a group."""
import os
import signal
import time

seen = []
signal.signal(signal.SIGUSR1, lambda s, f: seen.append(s))
signal.signal(signal.SIGUSR2, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGUSR1)
os.kill(os.getpid(), signal.SIGUSR2)
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    time.sleep(5)
    os._exit(0)
os.kill(pid, signal.SIGTERM)
print(seen, os.waitpid(pid, 0)[1] & 0x7f)
