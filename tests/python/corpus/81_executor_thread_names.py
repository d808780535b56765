"""ThreadPoolExecutor workers are named ThreadPoolExecutor-N_K: N counts the
executors of the program, K the workers of one (CPython 3.11)."""
from concurrent.futures import ThreadPoolExecutor
import threading


def who(x):
    return threading.current_thread().name


with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(who, 1).result())
with ThreadPoolExecutor(max_workers=1) as ex:
    print(ex.submit(who, 1).result())
