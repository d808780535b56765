"""A handler for SIGUSR1 runs when the process sends the signal to itself."""
import os
import signal


def handler(signum, frame):
    print("handler got signal", signum)


signal.signal(signal.SIGUSR1, handler)
print("sending SIGUSR1 to myself")
os.kill(os.getpid(), signal.SIGUSR1)
print("after the handler")
