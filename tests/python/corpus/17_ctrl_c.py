"""Ctrl-C is SIGINT, which Python turns into KeyboardInterrupt (here sent by the program itself)."""
import os
import signal
import time

try:
    print("working... (press Ctrl-C)")
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
    print("not reached")
except KeyboardInterrupt:
    print("caught KeyboardInterrupt")
finally:
    print("cleaning up")
