class Res:
    def __enter__(self):
        return self

    def __exit__(self, a, b, c):
        print("closed")


def first(xs):
    for x in xs:
        with Res():
            if x > 1:
                return x
            if x == 0:
                continue
    return None


print(first([0, 1, 2]))
