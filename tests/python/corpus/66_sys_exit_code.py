"""A child's sys.exit(n) is caught as SystemExit by finally; its parent sees code n."""
import os
import sys

pid = os.fork()
if pid == 0:
    try:
        print("child calls sys.exit(5)")
        sys.exit(5)
    finally:
        print("finally still runs in the child")
_, status = os.waitpid(pid, 0)
print("child exit code:", os.WEXITSTATUS(status))
try:
    sys.exit(2)
except SystemExit as e:
    print("caught SystemExit with code", e.code)
