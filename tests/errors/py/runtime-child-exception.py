# expect: ValueError: invalid literal for int() with base 10: 'abc'
import os

pid = os.fork()
if pid == 0:
    print(int("abc"))
os.waitpid(pid, 0)
print("the parent goes on")
