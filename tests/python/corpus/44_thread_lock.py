"""Four threads add to a global under a Lock: the total is exact."""
import threading

counter = 0
lock = threading.Lock()


def add():
    global counter
    for _ in range(50):
        with lock:
            counter += 1


threads = [threading.Thread(target=add) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter:", counter)
