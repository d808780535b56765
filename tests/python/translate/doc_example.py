def area(w, h=2):
    return w * h

print(area(3), area(h=4, w=5) + 1)
