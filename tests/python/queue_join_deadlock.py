"""The multiprocessing docs' "joining processes that use queues" deadlock:
a process that has put items on a Queue does not finish exiting until its
feeder thread has written them all into the queue's pipe. The child puts
20 items of about 4 KiB, more than the pipe's 64 KiB, so its feeder
sleeps on the full pipe, and the child, done with its target, waits for
the feeder. Joining it before getting the items would wait forever; with
a timeout the join gives up and the child is still alive. Once the parent
has got every item the child exits 0.

Nothing here depends on timing: the parent joins only after the child
has said it put everything (the `done` event), and the child cannot exit
before the parent reads, however long the join waits."""
import multiprocessing as mp

ctx = mp.get_context("fork")
q = ctx.Queue()
done = ctx.Event()


def producer():
    for _ in range(20):
        q.put("x" * 4090)
    print("producer: 20 items put", flush=True)
    done.set()


p = ctx.Process(target=producer)
p.start()
done.wait()
p.join(0.5)
print("after join with a timeout: alive", p.is_alive(), "exitcode", p.exitcode, flush=True)
n = 0
for _ in range(20):
    q.get()
    n += 1
print("got", n, "items", flush=True)
p.join()
print("after the gets: alive", p.is_alive(), "exitcode", p.exitcode, flush=True)
