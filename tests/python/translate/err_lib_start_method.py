import multiprocessing as mp

ctx = mp.get_context("spawn")
