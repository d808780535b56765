"""Two processes add to a shared Value without a lock: updates may be lost."""
from multiprocessing import Process, Value


def add(counter):
    for _ in range(100):
        counter.value += 1      # read, add, write: not atomic


if __name__ == "__main__":
    counter = Value("i", 0)
    ps = [Process(target=add, args=(counter,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    # The total depends on timing: only its bounds are certain.
    print("at least 2:", counter.value >= 2)
    print("at most 200:", counter.value <= 200)
