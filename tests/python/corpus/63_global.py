"""global: a function must declare a global to assign it; reading needs no declaration."""
count = 0


def increment():
    global count
    count += 1


def read_only():
    return count * 10


def shadow():
    count = 99
    return count


increment()
increment()
print(count, read_only(), shadow(), count)
