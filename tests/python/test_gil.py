"""A large optimizer step releases the GIL: another Python thread runs while kobai steps.

A counter thread stamps the time in a loop; the main thread runs one large step and notes when it
started and ended. With the GIL released, the counter thread stamps many times strictly inside the
step; with it held (the threshold raised above the size, the negative control), it cannot run
inside the step at all. The switch interval is lowered so that the thread swap at the step's edges
takes microseconds, not 5 ms.
"""
import sys
import threading
import time

import numpy as np

import kobai
from kobai import _kobai


def stamps_inside_one_step(n=8_000_000):
    w = np.ones(n)
    g = np.full(n, 0.5)
    opt = kobai.optim.Adam([w], amsgrad=True)  # 9 arrays of traffic: ~30-100 ms per step here
    opt.step([g])
    stamps, stop = [], threading.Event()

    def count():
        while not stop.is_set():
            stamps.append(time.perf_counter())

    thread = threading.Thread(target=count)
    thread.start()
    time.sleep(0.02)
    begin = time.perf_counter()
    opt.step([g])
    end = time.perf_counter()
    stop.set()
    thread.join()
    margin = 0.2 * (end - begin)
    return sum(begin + margin < t < end - margin for t in stamps), end - begin


def test_large_step_lets_another_thread_run():
    interval = sys.getswitchinterval()
    threads = kobai.num_threads()
    threshold = _kobai.gil_release_threshold()
    sys.setswitchinterval(1e-4)
    kobai.set_num_threads(1)  # leave the other core to the counter thread
    try:
        released, seconds = stamps_inside_one_step()
        assert released > 100, f"{released} stamps during a {seconds * 1e3:.0f} ms step"
        _kobai.set_gil_release_threshold(10**12)
        held, seconds = stamps_inside_one_step()
        assert held == 0, f"{held} stamps during a {seconds * 1e3:.0f} ms step with the GIL held"
    finally:
        _kobai.set_gil_release_threshold(threshold)
        kobai.set_num_threads(threads)
        sys.setswitchinterval(interval)
