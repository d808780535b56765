"""The program does not wait for daemon threads: it exits when the main thread ends."""
import threading
import time

never = threading.Event()


def background():
    print("daemon thread waiting forever")
    never.wait()
    print("not reached")


t = threading.Thread(target=background, daemon=True)
print("daemon:", t.daemon)
t.start()
time.sleep(0.2)
print("main thread ends; the daemon thread is still alive:", t.is_alive())
