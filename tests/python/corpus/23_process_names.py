"""current_process().name: MainProcess in the parent, Process-1, Process-2 in the children."""
from multiprocessing import Process, current_process


def show():
    print("I am", current_process().name)


if __name__ == "__main__":
    show()
    for i in range(2):
        p = Process(target=show)
        p.start()
        p.join()
    p = Process(target=show, name="worker")
    p.start()
    p.join()
