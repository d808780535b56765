def grade(n):
    if n > 90:
        return "A"
    elif n > check(80):
        return "B"
    elif n > 50:
        return "C"
    else:
        return "D"


def check(v):
    return v


def more(k):
    return k < 3


k = 0
while more(k) and k >= 0:
    k += 1
print(grade(95), grade(85), grade(60), grade(10), k)
