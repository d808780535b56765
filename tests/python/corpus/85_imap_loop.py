"""A for loop over Pool.imap takes the results as they come: its prints fall between the workers'."""
import time
from multiprocessing import Pool


def slow(x):
    time.sleep(0.2 * x)
    print("worker done", x)
    return x * x


if __name__ == "__main__":
    with Pool(3) as pool:
        for r in pool.imap(slow, [1, 2, 3]):
            print("got", r)
        for r in pool.imap_unordered(slow, [3, 1, 2]):
            print("unordered got", r)
