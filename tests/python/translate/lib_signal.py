import signal


def handler(signum, frame):
    print("got", signum)


signal.signal(signal.SIGINT, handler)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.alarm(2)
signal.pause()
