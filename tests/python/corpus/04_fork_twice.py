"""Two forks in a row make four processes; each one says which it is."""
import os
import time

a = os.fork()
b = os.fork()
# (a, b) is different in each of the four processes: use it to take turns.
turn = (2 if a == 0 else 0) + (1 if b == 0 else 0)
time.sleep(0.1 * turn)
print("process", turn, "a is zero:", a == 0, "b is zero:", b == 0)
if b != 0:                  # whoever forked b waits for it
    os.waitpid(b, 0)
if a != 0 and b != 0:       # the original process also forked a
    os.waitpid(a, 0)
    print("original process finishes last")
