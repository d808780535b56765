# multiprocessing.Array with its lock: four processes each add 1 to one
# item and take 1 from the last item 50 times, every update inside the
# array's own (re-entrant) lock, so no update is lost and the totals are
# exact. Then negative indices, len, and the IndexError of a bad index.
# Paired with array_lock.scn.
import multiprocessing as mp


def worker(arr, k):
    for _ in range(50):
        with arr.get_lock():
            arr[k % 3] += 1
            arr[-1] -= 1


if __name__ == "__main__":
    mp.set_start_method("fork")
    arr = mp.Array("i", [0, 0, 0, 1000])
    ps = [mp.Process(target=worker, args=(arr, k)) for k in range(4)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(arr[0], arr[1], arr[2], arr[3], len(arr))
    try:
        arr[4] = 1
    except IndexError as e:
        print("IndexError:", e)
    try:
        print(arr[-5])
    except IndexError as e:
        print("IndexError:", e)
