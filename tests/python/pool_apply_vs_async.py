"""apply blocks until its result is back; apply_async returns an
AsyncResult at once. The slow task waits for the event `go`, which only
the parent sets: apply_async of it returns while it cannot have finished
(ready() False); meanwhile apply of another task, served by the other
worker, returns its result; only after `go` does the slow result arrive
(get, ready() True, successful() True). Paired with pool_apply_vs_async.scn."""
import multiprocessing as mp

ctx = mp.get_context("fork")
go = ctx.Event()


def slow(x):
    go.wait()
    return x * x


def quick(x):
    return x + 1


if __name__ == "__main__":
    p = ctx.Pool(2)
    r = p.apply_async(slow, (7,))
    print("apply_async returned; ready:", r.ready(), flush=True)
    v = p.apply(quick, (41,))
    print("apply returned", v, "- the slow task ready:", r.ready(), flush=True)
    go.set()
    print("get:", r.get(), flush=True)
    print("ready:", r.ready(), "successful:", r.successful(), flush=True)
    p.close()
    p.join()
