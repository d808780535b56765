"""Seed: many threads, a lock, a condition on an event, a timer."""
import threading

lock = threading.Lock()
done = threading.Event()
hits = []


def worker(k):
    with lock:
        hits.append(k)
    if len(hits) == 16:
        done.set()


ts = [threading.Thread(target=worker, args=(k,)) for k in range(16)]
for t in ts:
    t.start()
done.wait(1.0)
for t in ts:
    t.join()
print(sorted(hits) == list(range(16)))
