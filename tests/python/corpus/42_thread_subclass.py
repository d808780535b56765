"""A Thread subclass overrides run(); the threads share the process's globals."""
import threading

total = 0


class Adder(threading.Thread):
    def __init__(self, amount):
        super().__init__()
        self.amount = amount

    def run(self):
        global total
        total += self.amount


threads = [Adder(n) for n in [1, 2, 3]]
for t in threads:
    t.start()
    t.join()
print("total seen by the main thread:", total)
