import threading

counter = 0
lock = threading.Lock()

def work(n):
    global counter
    for i in range(n):
        lock.acquire()
        counter += 1
        lock.release()

    print("done", threading.get_ident())


t1 = threading.Thread(target=work, args=(3,))
t2 = threading.Thread(target=work, args=(3,))
t1.start()
t2.start()
t1.join()
t2.join()
print("counter =", counter)
