class Timer:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, kind, value, tb):
        print("exit", self.name)
        return False


with Timer("a") as t, Timer("b"):
    print("inside", t.name)
