"""current_thread().name: MainThread, then Thread-N (target) for unnamed threads."""
import threading


def show():
    print("I am", threading.current_thread().name)


show()
t = threading.Thread(target=show)
t.start()
t.join()
t = threading.Thread(target=show, name="helper")
t.start()
t.join()
print("threads alive now:", threading.active_count())
