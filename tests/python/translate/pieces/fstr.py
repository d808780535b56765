def f():
    x = f"""
def g(): {1}
"""
def h(): pass
