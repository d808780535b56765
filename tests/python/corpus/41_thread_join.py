"""threading.Thread runs a function in the same process; join() waits for it."""
import os
import threading


def work(name, pid):
    print(name, "runs in the same process:", os.getpid() == pid)


t = threading.Thread(target=work, args=("thread A", os.getpid()))
t.start()
t.join()
print("thread finished, alive:", t.is_alive())
