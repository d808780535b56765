"""signal.alarm(1) sends SIGALRM a second later; signal.pause() waits for it."""
import signal
import time


def on_alarm(signum, frame):
    print("alarm rang")


signal.signal(signal.SIGALRM, on_alarm)
start = time.time()
signal.alarm(1)
print("pausing")
signal.pause()
print("woke up after about", round(time.time() - start), "second")
