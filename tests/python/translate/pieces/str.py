x = """
def f():
    pass
"""
def g():
    return x
