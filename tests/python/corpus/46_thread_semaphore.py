"""threading.Semaphore(2): two threads at most hold it at once."""
import threading
import time

sem = threading.Semaphore(2)
state_lock = threading.Lock()
inside = 0
most = 0


def work():
    global inside, most
    with sem:
        with state_lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.2)
        with state_lock:
            inside -= 1


threads = [threading.Thread(target=work) for _ in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("most inside at once:", most)
