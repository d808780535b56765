"""queue.Queue, LifoQueue and PriorityQueue: queues between the threads of
one process, with no feeder thread and no pipe, so put is done when it
returns (empty() is False right after it, unlike multiprocessing.Queue).
The same three puts come out first-in first-out, last-in first-out, and
smallest first. Full and Empty behave as for multiprocessing.Queue. A
consumer thread's get returns what the main thread puts (whether or not it
had to wait for it), and the main thread prints only after joining it."""
import queue
import threading

fifo = queue.Queue(3)
lifo = queue.LifoQueue(3)
prio = queue.PriorityQueue(3)
for q in (fifo, lifo, prio):
    for x in (3, 1, 2):
        q.put(x)
print("fifo empty", fifo.empty(), "full", fifo.full(), "qsize", fifo.qsize())
try:
    fifo.put(4, block=False)
except queue.Full as e:
    print(type(e).__name__)
print("fifo", fifo.get(), fifo.get(), fifo.get())
print("lifo", lifo.get(), lifo.get(), lifo.get())
print("priority", prio.get(), prio.get(), prio.get())
try:
    prio.get(timeout=0.05)
except queue.Empty as e:
    print(type(e).__name__, "after the timeout")
got = []


def consumer():
    got.append(fifo.get())


t = threading.Thread(target=consumer)
t.start()
fifo.put("late")
t.join()
print("consumer got", got[0])
