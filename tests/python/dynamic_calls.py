# Functions as values: called with an argument tuple, forked and run in a
# thread; a wrong number of arguments is a TypeError with CPython's words.
import os
import threading


def add(a, b=10):
    return a + b


def worker(name, n):
    print("worker", name, n, flush=True)


f = add
print(f(*(1, 2)), f(*(5,)), add(*[7, 1]))
g = worker
pid = os.fork()
if pid == 0:
    g(*("child", 1))
    os._exit(0)
os.waitpid(pid, 0)
t = threading.Thread(target=g, args=("thread", 2))
t.start()
t.join()
for h, args in [(add, (1, 2, 3)), (add, ()), (worker, ()), (worker, (1,)), (3, ())]:
    try:
        h(*args)
    except TypeError as e:
        print(e)
