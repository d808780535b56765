"""Three ways to format: %, str.format and f-strings, with widths and precisions."""
name = "worker"
pid = 42
load = 0.4567

print("%s has pid %d" % (name, pid))
print("%-8s|%5d|%6.2f|%x|%%" % (name, pid, load, 255))
print("{} has pid {}".format(name, pid))
print("{0}/{1}/{0}".format("a", "b"))
print("{:>8}|{:<6}|{:^7}|".format(name, pid, "mid"))
print(f"{name} has pid {pid}")
print(f"{load:.1%} {load:8.3f} {pid:05d} {pid:#x} {pid:b}")
print(f"{name!r} {name.upper()} {pid * 2}")
print(f"{'left':<6}|{'right':>6}|{7:+d}")
