import multiprocessing

m = multiprocessing.Manager()
