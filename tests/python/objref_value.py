# Objects as values (issue 14): a multiprocessing.Value passed to worker
# processes as an argument. Three workers add 1 to it 40 times each, every
# update inside its own lock (with v.get_lock()), so none is lost; then
# one child alone updates a second Value without the lock (nobody else
# stores to it), exact too. Paired with objref_value.scn.
import multiprocessing as mp


def add(v, n):
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def alone(v):
    for _ in range(5):
        v.value -= 2


if __name__ == "__main__":
    mp.set_start_method("fork")
    total = mp.Value("i", 0)
    ps = [mp.Process(target=add, args=(total, 40)) for _ in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(total.value, total)
    w = mp.Value("i", 100)
    p = mp.Process(target=alone, args=(w,))
    p.start()
    p.join()
    print(w.value)
