"""Four children send a greeting each through one pipe to their parent.
The parent closes its own copy of the send end first, so once every child
has sent and exited, recv raises EOFError: it reads until then and counts.
Which child's greeting comes first is up to the scheduler, so the lines
are compared sorted (the scenario says `# real: unordered`)."""
import multiprocessing as mp

ctx = mp.get_context("fork")
r, w = ctx.Pipe(duplex=False)


def greet(name):
    r.close()
    w.send("hello! " + name)


procs = [ctx.Process(target=greet, args=(n,)) for n in ("ann", "bob", "cid", "dee")]
for p in procs:
    p.start()
w.close()
n = 0
while True:
    try:
        print("got", r.recv(), flush=True)
    except EOFError:
        break
    n += 1
print("EOFError after", n, "messages", flush=True)
for p in procs:
    p.join()
