"""Connection.recv raises EOFError only when the pipe is empty and every
copy of the other end, in every process, is closed. The pipe is made
before the fork, so parent and child both hold both ends ("close them four
times"). The child closes its two; after it has exited, the parent still
holds the write end itself, so poll() (would recv return at once?) is
False: a recv would wait forever. Once the parent closes it, poll() is True
and recv raises EOFError. A closed end cannot be used at all: OSError."""
import multiprocessing as mp

ctx = mp.get_context("fork")
r, w = ctx.Pipe(duplex=False)


def child():
    r.close()
    w.send("hello")
    w.close()


p = ctx.Process(target=child)
p.start()
print("got", r.recv())
p.join()
print("child exitcode", p.exitcode)
print("poll", r.poll())
w.close()
print("poll", r.poll())
try:
    r.recv()
except EOFError as e:
    print(type(e).__name__)
r.close()
try:
    r.recv()
except OSError as e:
    print(type(e).__name__, e)
