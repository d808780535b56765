"""Fork twice: how many processes print "hello"?

Open it in the window (procsim-viz scenarios/python/fork-twice.py) and
watch the process tree grow: the first fork makes two processes, and
*both* of them run the second fork, so there are four.
"""
import os
import time

first = os.fork()     # the parent gets the child's pid, the child gets 0
second = os.fork()    # runs in both processes: now there are four

# Each process has its own pair (first, second); use it to take turns so
# the lines come out in the same order every run.
turn = (2 if first == 0 else 0) + (1 if second == 0 else 0)
time.sleep(0.2 * turn)
print(f"hello from process {turn}: first={'0' if first == 0 else 'pid'}, "
      f"second={'0' if second == 0 else 'pid'}")

# Every process waits for the children it forked itself, so none is left a
# zombie. The original process forked both `first` and `second`.
if second != 0:
    os.waitpid(second, 0)
if first != 0 and second != 0:
    os.waitpid(first, 0)
    print("4 processes said hello")
