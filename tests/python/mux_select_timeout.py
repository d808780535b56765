"""select.select with a timeout: nothing ready, it returns three empty lists
once the timeout has passed; timeout=0 only looks. Without a timeout it
blocks until a child writes. The fd lists are inputs: the same list object
is left as it was. An fd of FD_SETSIZE (1024) or
more raises ValueError before any system call; a closed fd is OSError
EBADF."""
import multiprocessing as mp
import select

ctx = mp.get_context("fork")
r, w = ctx.Pipe(duplex=False)
go_r, go_w = ctx.Pipe(duplex=False)


def child():
    go_r.recv()
    w.send("late")


print("timeout 0:", select.select([r], [], [], 0), flush=True)
print("timeout:", select.select([r], [], [], 0.05), flush=True)
p = ctx.Process(target=child)
p.start()
go_w.send("go")
watch = [r]
rr, ww, xx = select.select(watch, [], [])
print("ready:", len(rr), "same list given:", watch == [r], flush=True)
print("message:", r.recv(), flush=True)
p.join()
try:
    select.select([1500], [], [], 0)
except ValueError as e:
    print("ValueError:", e, flush=True)
try:
    select.select([100], [], [], 0)
except OSError as e:
    print("OSError:", e, flush=True)
