"""except SystemExit as e: e.code is what sys.exit was given (None, an int, a str); str(e) is "" for None."""
import sys
for a in [0, 3, "bye", None]:
    try:
        sys.exit(a)
    except SystemExit as e:
        print(e.code, e)
try:
    sys.exit()
except SystemExit as e:
    print(e.code, e)
try:
    raise SystemExit
except SystemExit as e:
    print(e.code, e)
