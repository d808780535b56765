"""A shared Array: each child writes its own slot, the parent sees them all."""
from multiprocessing import Array, Process


def fill(arr, i):
    arr[i] = i * i


if __name__ == "__main__":
    arr = Array("i", 4)
    print("before:", arr[:])
    ps = [Process(target=fill, args=(arr, i)) for i in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("after:", arr[:])
