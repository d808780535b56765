"""Thread names as CPython 3.11 gives them: Thread-N (target) counts only
unnamed threads, a Timer is Thread-N, a subclass's name= is kept, and the
name given to the constructor is what the thread itself sees."""
import threading


def show(tag):
    print(tag, threading.current_thread().name)


class Worker(threading.Thread):
    def __init__(self, n):
        super().__init__(name="worker-%d" % n)

    def run(self):
        show("subclass")


a = threading.Thread(target=show, args=("first",))
b = threading.Thread(target=show, args=("named",), name="helper")
c = threading.Thread(target=show, args=("second",))
print(a.name, "|", b.name, "|", c.name)
for t in (a, b, c):
    t.start()
    t.join()
w = Worker(7)
w.start()
w.join()
timer = threading.Timer(0.05, show, args=("timer",))
print("timer is", timer.name)
timer.start()
timer.join()
show("main")
