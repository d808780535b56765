"""Threads share one GIL: CPU-bound threads take turns, they do not run at once.

Two threads count to 200,000 each. In the window, only one of them is R at
any moment (the other waits for the GIL), switching every 5 ms; two
processes doing the same work (multiprocessing) would both be R on two CPUs.
The answers are the same either way; only the time differs.
"""
import threading

results = {}


def count(name, n):
    total = 0
    for i in range(n):
        total += 1
    results[name] = total


threads = [threading.Thread(target=count, args=(f"thread {k}", 200_000)) for k in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for name in sorted(results):
    print(name, "counted", f"{results[name]:,}")
