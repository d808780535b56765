"""An exception in a thread ends only that thread; the main thread goes on."""
import threading


def broken():
    raise RuntimeError("thread failed")


t = threading.Thread(target=broken)
t.start()
t.join()
print("main thread still running")
