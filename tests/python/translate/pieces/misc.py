"""doc"""
def f(): pass
class A:
    def m(self): pass
async def h(): pass
@d
@e
class B: pass
