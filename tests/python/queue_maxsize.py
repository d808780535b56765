"""multiprocessing.Queue(maxsize): put takes one of maxsize slots and
blocks while none is free; put(block=False) raises queue.Full at once and
put(timeout=...) when the time is up; get(block=False) and get(timeout=...)
raise queue.Empty. A slot comes back only when an item is got.

The producer puts 1 into a queue of one slot, so its put(2, block=False)
finds it full for certain: the parent gets nothing until the producer sets
`ready`. Its blocking put(2) then returns once the parent has got 1. The
parent prints only after joining the producer, so the order of the lines
is fixed."""
import multiprocessing as mp
import queue

ctx = mp.get_context("fork")
q = ctx.Queue(1)
ready = ctx.Event()


def producer():
    q.put(1)
    print("put 1", flush=True)
    try:
        q.put(2, block=False)
    except queue.Full as e:
        print(type(e).__name__, flush=True)
    ready.set()
    q.put(2)
    print("put 2 returned", flush=True)


p = ctx.Process(target=producer)
p.start()
ready.wait()
a = q.get()
b = q.get()
p.join()
print("got", a, b, "producer exitcode", p.exitcode)
try:
    q.get(timeout=0.1)
except queue.Empty as e:
    print(type(e).__name__, "after the timeout")
q.put(7)
try:
    q.put(8, timeout=0.1)
except queue.Full as e:
    print(type(e).__name__, "after the timeout")
print("got", q.get())
try:
    q.get(block=False)
except queue.Empty as e:
    print(type(e).__name__)
