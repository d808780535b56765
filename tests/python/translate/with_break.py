import threading

lock = threading.Lock()
done = 0
for i in range(5):
    with lock:
        if i == 3:
            break
        done += 1
        if i == 1:
            continue
        print("held", i)
print(done, lock.locked())
