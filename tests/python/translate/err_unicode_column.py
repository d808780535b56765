x = "héllo"; y = lambda: 1
print("é", x)
