"""creation-cost.py - what creating a process and a thread costs in CPython
(make bench; docs/scenario-language.md, "What creating a process costs").

    python3 bench/creation-cost.py [N]     N rounds of each (default 300)

Medians, in microseconds, of:
  - os.fork() + os._exit(0) + os.waitpid: the round trip, and the parent's
    CPU time (time.thread_time) in os.fork() alone;
  - threading.Thread(target=f).start() + join(): the round trip, and the
    time start() takes (it returns once the new thread has started);
  - multiprocessing.Process(target=f).start() + join() (the fork start
    method, Linux's default in 3.11): the round trip, and the time start()
    takes.
  - fork + os.execv of a new interpreter that does nothing + waitpid.
Then config values that make a scenario's costs CPython's: fork_cost the
time Process.start() takes, exec_cost the exec round trip less a bare
fork's, thread_cost the time Thread.start() takes, exit_cost the forked
child's CPU time.
"""
import multiprocessing
import os
import statistics
import sys
import threading
import time


def nothing():
    pass


def us(seconds):
    return seconds * 1e6


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    fork_rt, fork_cpu, child_cpu = [], [], []
    for _ in range(n):
        w0, c0 = time.perf_counter(), time.thread_time()
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        c1 = time.thread_time()
        _, _, ru = os.wait4(pid, 0)
        fork_rt.append(us(time.perf_counter() - w0))
        fork_cpu.append(us(c1 - c0))
        child_cpu.append(us(ru.ru_utime + ru.ru_stime))

    thr_rt, thr_start = [], []
    for _ in range(n):
        t = threading.Thread(target=nothing)
        w0 = time.perf_counter()
        t.start()
        w1 = time.perf_counter()
        t.join()
        thr_rt.append(us(time.perf_counter() - w0))
        thr_start.append(us(w1 - w0))

    ctx = multiprocessing.get_context("fork")
    proc_rt, proc_start = [], []
    for _ in range(max(1, n // 3)):
        p = ctx.Process(target=nothing)
        w0 = time.perf_counter()
        p.start()
        w1 = time.perf_counter()
        p.join()
        proc_rt.append(us(time.perf_counter() - w0))
        proc_start.append(us(w1 - w0))

    # A new program: the child execs this same interpreter with nothing to
    # do (python3 -S -c pass); the round trip less a bare fork's is the exec
    # and the interpreter's start-up.
    exec_rt = []
    for _ in range(max(1, n // 10)):
        w0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            try:
                os.execv(sys.executable, [sys.executable, "-S", "-c", "pass"])
            finally:
                os._exit(127)
        _, st = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(st) != 0:
            sys.exit("exec round failed")
        exec_rt.append(us(time.perf_counter() - w0))

    med = statistics.median
    f_rt, f_cpu, c_cpu = med(fork_rt), med(fork_cpu), med(child_cpu)
    t_rt, t_st = med(thr_rt), med(thr_start)
    p_rt, p_st = med(proc_rt), med(proc_start)
    e_rt = med(exec_rt)
    print(f"CPython {sys.version.split()[0]}, medians of {n} rounds "
          f"(Process: {len(proc_rt)}), microseconds:")
    print(f"  os.fork + os._exit + waitpid  {f_rt:8.1f} us round trip; parent's CPU in "
          f"os.fork() {f_cpu:.1f} us; the child's CPU {c_cpu:.1f} us")
    print(f"  Thread start + join           {t_rt:8.1f} us round trip; start() {t_st:.1f} us")
    print(f"  Process start + join (fork)   {p_rt:8.1f} us round trip; start() {p_st:.1f} us")
    print(f"  fork + execv python3 -S -c pass + waitpid {e_rt:.1f} us round trip "
          f"({len(exec_rt)} rounds); less a bare fork's: {e_rt - f_rt:.1f} us")
    print(f"  ratios: os.fork / Thread round trip {f_rt / t_rt:.1f}x; "
          f"Process / Thread round trip {p_rt / t_rt:.1f}x")
    print(f"  as config: fork_cost={p_st:.0f}us exec_cost={max(1.0, e_rt - f_rt):.0f}us "
          f"thread_cost={t_st:.0f}us exit_cost={c_cpu:.0f}us")


if __name__ == "__main__":
    main()
