"""A shared Array read as a sequence: slices, len, in, list(), sum(), sorted(), iteration."""
from multiprocessing import Array, Process


def fill(arr, i):
    arr[i] = i * i + 1


if __name__ == "__main__":
    arr = Array("i", [5, 1, 4, 2])
    print(arr[1:3], arr[::-1], arr[-1], len(arr))
    print(list(arr), sum(arr), sorted(arr), max(arr), min(arr), tuple(arr))
    print(4 in arr, 7 in arr, 7 not in arr)
    for i, x in enumerate(arr):
        print(i, x)
    for x in arr:
        print("item", x)
    l = [0]
    l.extend(arr)
    l += arr
    print(l, list(zip(arr, "abcd")), any(arr), all(arr))
    ps = [Process(target=fill, args=(arr, i)) for i in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(arr[:], [v * 2 for v in arr])
