# print's sep and end (procsim: print ... sep=E end=E): a line is written
# at each "\n"; the text after the last one waits for the rest of its line.
print("a", "b", "c", sep="-")
print(1, 2, 3, sep=", ", end=".\n")
print("no newline", end="")
print(" ... continued", end="")
print()
print("x", "y", sep="")
for i in range(5):
    print(i, end=" ")
print("<- numbers")
print("two\nlines", "in one print", sep=" / ")
print("sep None", "end None", sep=None, end=None)
print("flush", flush=True)
print("last", end="!\n")
