"""sys.exit(n), os._exit(n), returning normally and an uncaught exception give different exit codes."""
import os
import sys


def child(how):
    if how == "sys.exit":
        sys.exit(3)
    if how == "os._exit":
        os._exit(4)
    if how == "raise":
        raise ValueError("child failed")


for how in ["sys.exit", "os._exit", "return", "raise"]:
    pid = os.fork()
    if pid == 0:
        try:
            child(how)
        except SystemExit as e:
            os._exit(e.code)
        except ValueError:
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print(how, "->", os.WEXITSTATUS(status))
