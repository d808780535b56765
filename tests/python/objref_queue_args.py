# Objects as values (issue 14): a Queue and a Lock passed to worker
# processes as arguments, and a list of queues, one per worker, each made
# by the parent and handed to its child. Each worker squares its numbers
# and sends them back on the shared results queue; the parent prints them
# in worker order. Paired with objref_queue_args.scn.
import multiprocessing as mp


def worker(n, inbox, results, lock):
    while True:
        x = inbox.get()
        if x is None:
            break
        with lock:
            results.put((n, x * x))


if __name__ == "__main__":
    mp.set_start_method("fork")
    results = mp.Queue()
    lock = mp.Lock()
    inboxes = [mp.Queue(), mp.Queue(), mp.Queue()]
    ps = []
    for n in range(3):
        p = mp.Process(target=worker, args=(n, inboxes[n], results, lock))
        p.start()
        ps.append(p)
    for n in range(3):
        for x in range(1, 3):
            inboxes[n].put(n * 10 + x)
        inboxes[n].put(None)
    got = []
    for _ in range(6):
        got.append(results.get())
    for p in ps:
        p.join()
    for item in sorted(got):
        print(item)
    print(results.empty(), lock)
