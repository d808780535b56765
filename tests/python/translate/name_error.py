def f(alpha):
    beta = 1
    return alpah + bta

count=1
print(f(1), lenn([]), cuont, zzz)
