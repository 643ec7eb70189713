#!/usr/bin/python3
"""torch.optim's side of bench/optimizer_step_bench.cpp (which runs this script and prints one
table). Prints one line per measurement:

    step <optimizer> <float|double> <n> <threads> <ns per parameter>
    beale <iterations> <ns per iteration>

Usage: optimizer_step_torch.py --sizes 1000000,10000000 --threads 1,2 --optimizers adam,gd
       [--dtypes float,double] [--beale ITERATIONS] [--seconds S] [--clock wall|cpu]
Each step time is the fastest of several steps after two warm-up steps (the first allocates the
state), the statistic the C++ side uses, so a loaded machine hurts both sides alike.
"""
import argparse
import time

import torch


def make(name, p):
    if name == "gd":
        return torch.optim.SGD([p], lr=0.01)
    if name == "momentum":
        return torch.optim.SGD([p], lr=0.01, momentum=0.9)
    if name == "nesterov":
        return torch.optim.SGD([p], lr=0.01, momentum=0.9, nesterov=True)
    if name == "adagrad":
        return torch.optim.Adagrad([p])
    if name == "adadelta":
        return torch.optim.Adadelta([p])
    if name == "rmsprop":
        return torch.optim.RMSprop([p])
    if name == "adam":
        return torch.optim.Adam([p])
    if name == "adamw":
        return torch.optim.AdamW([p])
    if name == "amsgrad":
        return torch.optim.Adam([p], amsgrad=True)
    if name == "adamax":
        return torch.optim.Adamax([p])
    if name == "nadam":
        return torch.optim.NAdam([p])
    raise SystemExit(f"unknown optimizer {name}")


def time_steps(name, dtype, n, seconds, clock):
    p = torch.nn.Parameter(torch.rand(n, dtype=dtype) * 4 - 2)
    p.grad = torch.rand(n, dtype=dtype) * 2 - 1
    opt = make(name, p)
    opt.step()
    opt.step()
    best, spent, reps = float("inf"), 0.0, 0
    while reps < 3 or (spent < seconds and reps < 50):
        start = clock()
        opt.step()
        elapsed = clock() - start
        best, spent, reps = min(best, elapsed), spent + elapsed, reps + 1
    return best * 1e9 / n


def beale(x):
    a = 1.5 - x[0] + x[0] * x[1]
    b = 2.25 - x[0] + x[0] * x[1] ** 2
    c = 2.625 - x[0] + x[0] * x[1] ** 3
    return a * a + b * b + c * c


def time_beale(iterations):
    """The seed 003 run: Adam(lr=1e-3, betas=(0.9, 0.8)) on Beale from (3, 4), gradient by
    autograd, with the seeds' stopping test max |g| < 1e-8 each iteration."""
    torch.set_num_threads(1)
    x = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([x], lr=1e-3, betas=(0.9, 0.8))
    start = time.perf_counter()
    for _ in range(iterations):
        opt.zero_grad()
        beale(x).backward()
        if x.grad.abs().max().item() < 1e-8:
            break
        opt.step()
    return (time.perf_counter() - start) * 1e9 / iterations, x.detach().tolist()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--dtypes", default="float,double")
    parser.add_argument("--optimizers", default="gd,momentum,nesterov,adagrad,adadelta,rmsprop,"
                        "adam,adamw,amsgrad,adamax,nadam")
    parser.add_argument("--beale", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=0.3)
    # cpu: one-thread steps timed by this thread's CPU time (torch runs them on the calling
    # thread), as optimizer_step_bench --clock cpu times kobai's; wall time otherwise.
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    dtypes = {"float": torch.float32, "double": torch.float64}
    for threads in [int(t) for t in args.threads.split(",") if t]:
        torch.set_num_threads(threads)
        for n in [int(float(s)) for s in args.sizes.split(",") if s]:
            for dtype in [d for d in args.dtypes.split(",") if d]:
                for name in [o for o in args.optimizers.split(",") if o]:
                    clock = time.thread_time if args.clock == "cpu" and threads == 1 else time.perf_counter
                    ns = time_steps(name, dtypes[dtype], n, args.seconds, clock)
                    print(f"step {name} {dtype} {n} {threads} {ns:.6f}", flush=True)
    if args.beale:
        ns, x = time_beale(args.beale)
        print(f"beale {args.beale} {ns:.3f} {x[0]:.9f} {x[1]:.9f}", flush=True)


if __name__ == "__main__":
    main()
