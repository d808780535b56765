"""procsim's wait status (STATUSVAR) is what a Python front end gets from
os.waitpid: os.waitstatus_to_exitcode() for an exit or a death (the code,
or -SIG, as Process.exitcode), and the raw status itself for a stop or a
continue. os.WIFSTOPPED ... os.WIFCONTINUED read it as procsim's built-ins
wifstopped() ... wifcontinued() do.

A child is stopped (SIGSTOP, then SIGTSTP), continued, and finally exits
5; a second child is killed by SIGKILL. Each report is printed as the
status procsim would give, with what the macros say about it."""
import os
import signal


def statusvar(raw):
    if os.WIFSTOPPED(raw) or os.WIFCONTINUED(raw):
        return raw
    return os.waitstatus_to_exitcode(raw)


def show(raw):
    print("status", statusvar(raw),
          "exited", int(os.WIFEXITED(raw)), os.WEXITSTATUS(raw),
          "signaled", int(os.WIFSIGNALED(raw)), os.WTERMSIG(raw),
          "stopped", int(os.WIFSTOPPED(raw)), os.WSTOPSIG(raw),
          "continued", int(os.WIFCONTINUED(raw)), flush=True)


r, w = os.pipe()
child = os.fork()
if child == 0:
    os.close(w)
    os.read(r, 1)
    os._exit(5)
os.close(r)
os.kill(child, signal.SIGSTOP)
show(os.waitpid(child, os.WUNTRACED)[1])
os.kill(child, signal.SIGCONT)
show(os.waitpid(child, os.WCONTINUED)[1])
os.kill(child, signal.SIGTSTP)
show(os.waitpid(child, os.WUNTRACED)[1])
os.kill(child, signal.SIGCONT)
show(os.waitpid(child, os.WCONTINUED)[1])
os.write(w, b"x")
show(os.waitpid(child, 0)[1])

other = os.fork()
if other == 0:
    while True:
        signal.pause()
os.kill(other, signal.SIGKILL)
show(os.waitpid(other, 0)[1])
