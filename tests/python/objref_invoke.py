# Objects as values (issue 14): Python's method calls on objects held in
# variables, with CPython's positional signatures: put(item, block,
# timeout), get(block, timeout), acquire(blocking, timeout), wait(timeout)
# and their results, the nowait forms, and the AttributeError of a method
# the object's class does not have. Paired with objref_invoke.scn (where
# every call is `invoke V.NAME(ARGS) -> R`, the translator's form).
import multiprocessing as mp
import queue

if __name__ == "__main__":
    mp.set_start_method("fork")
    q = mp.Queue(2)
    q.put(1)
    q.put(2, True, 1)
    try:
        q.put(3, False)
    except queue.Full:
        print("Full")
    try:
        q.put_nowait(3)
    except queue.Full:
        print("Full again")
    print(q.get(), q.get(True, 1))
    try:
        q.get(False)
    except queue.Empty:
        print("Empty")
    try:
        q.get_nowait()
    except queue.Empty:
        print("Empty again")
    lk = mp.Lock()
    print(lk.acquire(), lk.acquire(False), lk.acquire(True, 0), lk)
    print(lk.release())
    ev = mp.Event()
    print(ev.is_set(), ev.wait(0))
    ev.set()
    print(ev.wait(), ev.is_set())
    ev.clear()
    print(ev.is_set())
    sem = mp.Semaphore(2)
    sem.acquire()
    print(sem.acquire(False), sem.acquire(False), sem)
    jq = mp.JoinableQueue()
    jq.put("a")
    print(jq.get())
    jq.task_done()
    jq.join()
    print("joined")
    tq = queue.Queue()
    tq.put(5)
    print(tq.qsize(), tq.empty(), tq.full())
    v = mp.Value("i", 7)
    print(v.value, v)
    for obj, name in ((lk, "put"), (q, "task_done"), (ev, "acquire"), (5, "acquire"),
                      ("abc", "put"), (v, "get")):
        try:
            getattr(obj, name)()
        except AttributeError as e:
            print("AttributeError:", e)
