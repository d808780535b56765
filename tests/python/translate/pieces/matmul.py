x = (1,
@y)
def f(): pass
