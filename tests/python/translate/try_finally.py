def risky(x):
    try:
        if x > 1:
            raise ValueError("too big: %d" % x)
        return x
    except (ValueError, KeyError) as e:
        print(type(e).__name__, e)
        raise
    else:
        print("fine")
    finally:
        print("cleanup")


for i in range(3):
    try:
        risky(i)
    except Exception as e:
        print("outer", e)
        continue
    finally:
        print("round", i)
