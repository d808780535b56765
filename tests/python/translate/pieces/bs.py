s = 1 + \
def f(): pass
