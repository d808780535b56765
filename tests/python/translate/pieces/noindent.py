if x:
def f(): pass
