"""with lock: the lock is released when the block ends, even by an exception."""
import threading

lock = threading.Lock()
with lock:
    print("inside: locked =", lock.locked())
print("after: locked =", lock.locked())
try:
    with lock:
        raise KeyError("oops")
except KeyError:
    print("exception left the block; locked =", lock.locked())
