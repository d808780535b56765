"""threading.Timer: a Timer is a thread that waits its interval, then calls
its function unless cancel() came first (Lib/threading.py: run() waits on
the Event `finished`; cancel() sets it). Here one timer is cancelled while
it waits (its function never runs, its thread ends), one fires, a cancel
after the firing does nothing, and a timer left pending keeps the program
alive until it fires (a Timer is not a daemon thread). The function waits
for an event, so the order of the lines does not depend on the timing."""
import threading

go = threading.Event()


def hello(who):
    go.wait()
    print("hello", who)


t = threading.Timer(0.05, hello, ("a",))
u = threading.Timer(60, hello, ("b",))
t.start()
u.start()
print("u alive while waiting", u.is_alive())
u.cancel()
u.join()
print("u cancelled, alive", u.is_alive())
go.set()
t.join()
print("t joined, alive", t.is_alive())
t.cancel()
print("main ends")
threading.Timer(0.01, hello, ("c",)).start()
