"""threading.Event: three waiting threads all go on once the main thread sets it."""
import threading
import time

go = threading.Event()


def runner(i):
    go.wait()
    time.sleep(0.1 * i)      # report in order
    print("runner", i, "started")


threads = [threading.Thread(target=runner, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
time.sleep(0.2)
print("ready, set...")
go.set()
for t in threads:
    t.join()
print("go was set:", go.is_set())
