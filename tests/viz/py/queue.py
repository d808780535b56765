from multiprocessing import Process, Queue

def producer(n):
    for i in range(n):
        q.put((i, i * i))

    q.put(None)

def consumer():
    item = q.get()
    while item is not None:
        print("got", item)
        item = q.get()


if __name__ == "__main__":
    q = Queue()
    p = Process(target=producer, args=(3,))
    c = Process(target=consumer)
    p.start()
    c.start()
    p.join()
    c.join()
