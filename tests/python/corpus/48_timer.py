"""threading.Timer runs a function after a delay; cancel() stops one that has not fired."""
import threading
import time


def ring(name):
    print(name, "fired")


t1 = threading.Timer(0.2, ring, args=("timer 1",))
t2 = threading.Timer(0.4, ring, args=("timer 2",))
t1.start()
t2.start()
print("timers started")
time.sleep(0.3)
t2.cancel()
print("timer 2 cancelled")
t1.join()
t2.join()
