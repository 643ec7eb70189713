"""The optimizer objects step the user's arrays where they are: the buffer address is unchanged,
the values change, and a step allocates no NumPy temporary (tracemalloc sees NumPy's allocations)."""
import tracemalloc

import numpy as np
import pytest

import kobai


def address(a):
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "Adamax", "NAdam"])
def test_step_updates_the_same_buffer(name, dtype):
    w = np.ones((50, 20), dtype)
    b = np.ones(20, dtype)
    before = (address(w), address(b))
    opt = getattr(kobai.optim, name)([w, b])
    for _ in range(3):
        opt.step([np.full_like(w, 0.5), np.full_like(b, -0.5)])
    assert (address(w), address(b)) == before
    assert w.dtype == dtype and b.dtype == dtype
    assert np.all(w < 1) and np.all(b > 1)  # moved against the gradient, in place
    assert opt.params[0] is w and opt.params[1] is b


def test_a_step_allocates_no_numpy_temporary():
    n = 1_000_000
    w = np.ones(n, np.float32)
    g = np.full(n, 0.25, np.float32)
    opt = kobai.optim.Adam([w], lr=1e-3)
    opt.step([g])  # kobai's moment buffers are sized on the first step (C++, outside NumPy)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        for _ in range(3):
            opt.step([g])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024, f"a step allocated {peak} bytes through Python (a copy of 4 MB would show)"
    # and the check can fail: a NumPy expression of the same size is seen
    tracemalloc.start()
    try:
        _ = w * 2
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak >= 4 * n
