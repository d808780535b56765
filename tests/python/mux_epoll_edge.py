"""select.epoll, level- vs edge-triggered, on an os.pipe with two bytes in
it, read one at a time: level-triggered reports the fd while anything is
left; edge-triggered (EPOLLET) once (it was ready when registered), then
poll with a timeout returns [] although a byte is still there (epoll(7)'s
reader that waits forever without the timeout); a new write is a new edge;
EPOLLONESHOT reports once, then nothing until modify."""
import os
import select

r, w = os.pipe()
os.write(w, b"ab")
lt = select.epoll()
lt.register(r, select.EPOLLIN)
print("level:", len(lt.poll(0)), "event", flush=True)
os.read(r, 1)
print("level, one byte left:", len(lt.poll(0)), "event", flush=True)
os.read(r, 1)
print("level, empty:", len(lt.poll(0)), "events", flush=True)
lt.close()
os.write(w, b"ab")
et = select.epoll()
et.register(r, select.EPOLLIN | select.EPOLLET)
print("edge:", len(et.poll(0)), "event", flush=True)
os.read(r, 1)
print("edge, one byte left, waits 50 ms:", len(et.poll(0.05)), "events", flush=True)
os.write(w, b"c")
print("edge, after a new write:", len(et.poll(0)), "event", flush=True)
print("edge, again:", len(et.poll(0)), "events", flush=True)
et.close()
os_ = select.epoll()
os_.register(r, select.EPOLLIN | select.EPOLLONESHOT)
print("oneshot:", len(os_.poll(0)), "event", flush=True)
print("oneshot, again:", len(os_.poll(0)), "events", flush=True)
os_.modify(r, select.EPOLLIN | select.EPOLLONESHOT)
print("oneshot, after modify:", len(os_.poll(0)), "event", flush=True)
