def f(): pass
def g(:
    pass
def h(): pass
