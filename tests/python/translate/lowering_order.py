count = 0


def bump():
    global count
    count += 1
    return count


x = count + bump()
y = [count, bump(), count]
z = bump() if count > 2 else -1
w = count > 0 and bump() or 0
print(x, y, z, w)
