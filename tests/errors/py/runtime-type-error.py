# expect: TypeError: can only concatenate str (not "int") to str
pid = 42
print("pid: " + pid)
