"""threading.local: each thread has its own value of the same attribute."""
import threading

data = threading.local()
data.name = "main"


def work(name):
    data.name = name
    print("in", name, "data.name is", data.name)


for name in ["first", "second"]:
    t = threading.Thread(target=work, args=(name,))
    t.start()
    t.join()
print("in the main thread data.name is still", data.name)
