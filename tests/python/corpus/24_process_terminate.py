"""terminate() sends SIGTERM: is_alive() turns False and exitcode is -15."""
import time
from multiprocessing import Process


def sleeper():
    time.sleep(10)


if __name__ == "__main__":
    p = Process(target=sleeper)
    print("before start:", p.is_alive())
    p.start()
    print("after start:", p.is_alive())
    time.sleep(0.1)
    p.terminate()
    p.join()
    print("after terminate:", p.is_alive(), "exit code", p.exitcode)
