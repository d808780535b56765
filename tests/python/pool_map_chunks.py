"""How Pool.map cuts its items into chunks: chunksize = ceil(len / (4 *
workers)) (CPython's divmod rule), or the chunksize given; one chunk is one
task, which a worker runs item after item. To see the chunks, the pools
have maxtasksperchild=1: a worker does one task (one chunk) and is
replaced, so the items that ran in the same process are exactly one chunk,
whichever worker took it and whenever. Each item returns its process's pid,
and the program prints the runs of equal pids as lists of items. The
results of map come back in the order of the items. Paired with
pool_map_chunks.scn."""
import multiprocessing as mp
import os

ctx = mp.get_context("fork")


def whose(x):
    return os.getpid()


def square(x):
    return x * x


def chunks(pids):
    out = []
    for i, pid in enumerate(pids):
        if i > 0 and pid == pids[i - 1]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def show(workers, n, chunksize=None):
    p = ctx.Pool(workers, maxtasksperchild=1)
    if chunksize is None:
        pids = p.map(whose, range(n))
        label = ""
    else:
        pids = p.map(whose, range(n), chunksize)
        label = " chunksize=" + str(chunksize)
    p.close()
    p.join()
    print("Pool(%d), %d items%s:" % (workers, n, label), chunks(pids), flush=True)


if __name__ == "__main__":
    show(1, 10)
    show(2, 20)
    show(4, 10)
    show(2, 10, 4)
    p = ctx.Pool(2)
    print("squares:", p.map(square, range(10)), flush=True)
    print("empty:", p.map(square, []), flush=True)
    p.close()
    p.join()
