# Function calls (procsim's `call`): a result comes back, a function that
# ends without return gives None, an exception goes up through the calls in
# between to the caller's try, a return inside a try leaves it, and an
# uncaught exception in a call ends the thread with the traceback naming
# the function that raised.
import threading


def inner(n):
    if n < 0:
        raise ValueError("negative")
    return n * n


def outer(n):
    v = inner(n)
    print("outer got", v)
    return v + 1


def nothing():
    print("in nothing")


def leaves_try():
    try:
        return 1
    except Exception:
        print("not reached")


def fails():
    raise TypeError("bad")


def worker():
    fails()
    print("not reached")


def main():
    print("outer(3) =", outer(3))
    print("nothing() =", nothing())
    try:
        outer(-1)
        print("not reached")
    except ValueError as e:
        print("caught", e)
    r = leaves_try()
    try:
        raise ValueError("after")
    except ValueError as e:
        print("main caught", e, r)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    print("done")


main()
