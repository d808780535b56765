import os

opts = os.WNOHANG
os.waitpid(-1, opts)
