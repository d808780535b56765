"""A Pipe is two-way: parent and child send and receive on their own ends."""
from multiprocessing import Pipe, Process


def child(conn):
    msg = conn.recv()
    conn.send(msg.upper())
    conn.close()


if __name__ == "__main__":
    a, b = Pipe()
    p = Process(target=child, args=(b,))
    p.start()
    a.send("ping")
    print("reply:", a.recv())
    p.join()
