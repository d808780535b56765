import signal

handlers = {}
signal.signal(signal.SIGINT, handlers.get("x"))
