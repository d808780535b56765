"""Pool.imap and imap_unordered: iterators over the results. imap gives
them in the order of the items; a failing item raises its exception at
its own place, and the iteration goes on after it; StopIteration at the
end. imap_unordered gives them in the order they come back: item 0 waits
for the event `go`, which the parent sets only after it has got a first
result, so that first result is item 1's. Paired with pool_imap.scn."""
import multiprocessing as mp

ctx = mp.get_context("fork")
go = ctx.Event()


def bad(x):
    if x == 2:
        raise ValueError("bad item 2")
    return x * 10


def held(x):
    if x == 0:
        go.wait()
    return x


if __name__ == "__main__":
    p = ctx.Pool(2)
    it = p.imap(bad, range(4))
    for _ in range(5):
        try:
            print("imap next:", next(it), flush=True)
        except ValueError as e:
            print("imap next raised ValueError:", e, flush=True)
        except StopIteration:
            print("imap next: StopIteration", flush=True)
    it = p.imap_unordered(held, [0, 1])
    first = next(it)
    go.set()
    second = next(it)
    print("imap_unordered:", first, second, flush=True)
    p.close()
    p.join()
