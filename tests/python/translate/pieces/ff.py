def f(): pass
def g(): pass
x = ""
def h(): pass
