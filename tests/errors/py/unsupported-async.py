# expect: tests/errors/py/unsupported-async.py:5:1: error: procsim does not simulate async def
import asyncio


async def main():
    await asyncio.sleep(1)
