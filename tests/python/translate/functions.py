def area(w, h=2, *, unit="cm"):
    return w * h


def main():
    a = area(3)
    b = area(3, unit="m")
    c = area(h=4, w=5)
    print(a, b, c, area(1) + area(2))


main()
