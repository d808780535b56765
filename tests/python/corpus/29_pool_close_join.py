"""close() stops new tasks and join() waits for the workers; the callback gets each result."""
from multiprocessing import Pool

results = []


def cube(x):
    return x ** 3


def collect(value):
    results.append(value)


if __name__ == "__main__":
    pool = Pool(2)
    for i in range(4):
        pool.apply_async(cube, (i,), callback=collect)
    pool.close()
    pool.join()
    print("sorted results:", sorted(results))
