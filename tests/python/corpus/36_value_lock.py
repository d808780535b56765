"""The fix for the race: hold the Value's lock while adding."""
from multiprocessing import Process, Value


def add(counter):
    for _ in range(100):
        with counter.get_lock():
            counter.value += 1


if __name__ == "__main__":
    counter = Value("i", 0)
    ps = [Process(target=add, args=(counter,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("total:", counter.value)
