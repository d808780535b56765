# expect: tests/errors/py/unsupported-async.py:5:1: error: procsim does not simulate async functions (asyncio) in Python source
import asyncio


async def main():
    await asyncio.sleep(1)
