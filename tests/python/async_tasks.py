# async_tasks.py - asyncio tasks in one thread: create_task schedules a
# task (it runs when the creator awaits), asyncio.sleep(0) yields to the
# tasks ready before it (FIFO), `await task` gives its result, gather gives
# the results in the order of its arguments, an exception in a task comes
# out of the await, and a plain blocking call holds the whole loop.
import asyncio
import socket
import time


async def worker(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)
    return name + name


async def fails():
    await asyncio.sleep(0)
    raise ValueError("bad task")


async def blocker():
    print("blocker sleeps without await")
    time.sleep(0.05)           # not awaited: the loop (every task) waits
    print("blocker woke")


async def ticker():
    print("ticker runs")


async def main():
    a = asyncio.create_task(worker("a", 3))
    b = asyncio.create_task(worker("b", 2))
    print("created")
    r = await a
    print("a gave", r)
    r = await b
    print("b gave", r)
    c = asyncio.create_task(worker("c", 2))
    d = asyncio.create_task(worker("d", 1))
    rs = await asyncio.gather(c, d)
    print("gather", rs)
    f = asyncio.create_task(fails())
    try:
        await f
    except ValueError as e:
        print("await f raised", e)
    x = asyncio.create_task(blocker())
    y = asyncio.create_task(ticker())
    await asyncio.gather(x, y)
    s1, s2 = socket.socketpair()
    s1.setblocking(False)
    s2.setblocking(False)
    loop = asyncio.get_running_loop()

    async def reader():
        data = await loop.sock_recv(s1, 100)
        print("reader got", data.decode())

    async def writer():
        print("writer sends")
        await loop.sock_sendall(s2, b"hello")

    rt = asyncio.create_task(reader())
    wt = asyncio.create_task(writer())
    await asyncio.gather(rt, wt)
    print("done")


asyncio.run(main())
