"""Using a pool the wrong way raises ValueError with CPython's messages:
join before close ("Pool is still running"); apply, apply_async or map
after close ("Pool not running"), and after terminate. get(timeout) on a
result that cannot be ready raises multiprocessing.TimeoutError. Paired
with pool_misuse.scn."""
import multiprocessing as mp

ctx = mp.get_context("fork")
never = ctx.Event()


def square(x):
    return x * x


def held(x):
    never.wait()
    return x


if __name__ == "__main__":
    p = ctx.Pool(2)
    try:
        p.join()
    except ValueError as e:
        print("join before close: ValueError:", e, flush=True)
    r = p.apply_async(held, (1,))
    try:
        r.get(timeout=0.05)
    except mp.TimeoutError:
        print("get(timeout) of a held task: multiprocessing.TimeoutError", flush=True)
    p.terminate()
    p.join()
    try:
        p.apply(square, (2,))
    except ValueError as e:
        print("apply after terminate: ValueError:", e, flush=True)
    q = ctx.Pool(2)
    print("apply before close:", q.apply(square, (3,)), flush=True)
    q.close()
    try:
        q.apply(square, (4,))
    except ValueError as e:
        print("apply after close: ValueError:", e, flush=True)
    try:
        q.apply_async(square, (4,))
    except ValueError as e:
        print("apply_async after close: ValueError:", e, flush=True)
    try:
        q.map(square, [1, 2])
    except ValueError as e:
        print("map after close: ValueError:", e, flush=True)
    q.join()
    print("join after close: done", flush=True)
