# expect: tests/errors/py/syntax-bad-indent.py:4:8: error: unexpected indent
def child():
    print("child")
        print("more")
