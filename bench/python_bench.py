#!/usr/bin/python3
"""kobai from Python against its references, measured in the same run (issue 13).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--quick] [--only adam|lbfgs|overhead]

1. kobai.optim.Adam.step on a 10^7-element float32 NumPy array against torch.optim.Adam (1.13) on
   a tensor of the same size: median seconds per step, ns per parameter, ratio (target: >= 5x).
   Both at their default thread counts, then both at one thread.
2. L-BFGS on the extended Rosenbrock function, n = 10^4, from (-1.2, 1, -1.2, 1, ...):
   scipy.optimize.minimize(method="L-BFGS-B") and kobai.minimize(method="lbfgs") with the same
   vectorized NumPy objective (jac=True): evaluations and median wall time (target: no more of
   either); then kobai with the objective typed as text (kobai.expr, a 10^4-variable expression
   evaluated natively; compiled once, its compile time printed apart): target >= 10x faster than
   SciPy. SciPy runs with its defaults (m = 10, gtol 1e-5, ftol 2.2e-9); kobai stops at
   max |g| < 1e-6 (tighter), as bench/lbfgs_vs_scipy.py does; both final f are printed. Wall and
   CPU (process) times are both printed: on a shared machine the CPU time is the steadier one.
   The kobai.expr run is also timed with the default history and with the iterates kept.
3. What a Python objective costs per iteration: seed 003's Adam run on Beale (lr 1e-3, beta2 0.8,
   from (3, 4)), 10,000 iterations, natively (kobai.problems.beale()) and with a NumPy fun
   (jac=True); the Python function alone, called 10,000 times, is timed too, so the difference
   is kobai's own per-call overhead (array copy of x, call, conversion of the result).
Timings are medians of repeats; they are printed, never asserted (timings are not tests). The
load average is printed at the start and the end.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

try:
    import kobai
except ImportError:
    sys.exit("python_bench: cannot import kobai; build it (cmake --build build --target kobai_python) and run "
             "with PYTHONPATH=build/python, or install it (docs/python.md)")
import scipy
import torch
from scipy.optimize import minimize as scipy_minimize

import extended_rosenbrock  # this folder's


def median_seconds(fn, repeats, min_seconds=0.0, clock=time.perf_counter):
    times, began = [], time.perf_counter()
    while len(times) < repeats or time.perf_counter() - began < min_seconds:
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times)


def wall_and_cpu(fn, repeats):
    """Median wall time and median CPU time of this process (time.process_time) over the repeats.
    On a shared machine the wall time includes the time other processes held the core; both sides
    below run on one thread, so their CPU times compare the work itself."""
    return median_seconds(fn, repeats), median_seconds(fn, repeats, clock=time.process_time)


# ---- 1. Adam.step on 10^7 float32 ----------------------------------------------------------------

def adam_step(n, steps, threads):
    rng = np.random.default_rng(1)
    w = rng.standard_normal(n, dtype=np.float32)
    g = rng.standard_normal(n, dtype=np.float32)
    tw = torch.from_numpy(w.copy())
    tw.grad = torch.from_numpy(g.copy())
    torch_opt = torch.optim.Adam([tw], lr=1e-3)
    kobai_opt = kobai.optim.Adam([w], lr=1e-3)
    saved = (torch.get_num_threads(), kobai.num_threads())
    if threads:
        torch.set_num_threads(threads)
        kobai.set_num_threads(threads)
    try:
        with torch.no_grad():
            torch_opt.step()  # state allocated on the first step, on both sides
            kobai_opt.step([g])
            t_torch = median_seconds(torch_opt.step, steps)
            t_kobai = median_seconds(lambda: kobai_opt.step([g]), steps)
        used = (torch.get_num_threads(), kobai.num_threads())
    finally:
        torch.set_num_threads(saved[0])
        kobai.set_num_threads(saved[1])
    return t_kobai, t_torch, used


def section_adam(quick):
    n = 10_000_000
    print(f"1. Adam.step, n = {n:.0e} float32 (median of {5 if quick else 20} steps)")
    print(f"   {'threads (kobai/torch)':<24}{'kobai ns/param':>16}{'torch ns/param':>16}{'speed-up':>10}")
    for threads in (None, 1):
        t_kobai, t_torch, (torch_threads, kobai_threads) = adam_step(n, 5 if quick else 20, threads)
        print(f"   {f'{kobai_threads}/{torch_threads}':<24}{t_kobai / n * 1e9:>16.3f}{t_torch / n * 1e9:>16.3f}"
              f"{t_torch / t_kobai:>9.1f}x")


# ---- 2. L-BFGS on the extended Rosenbrock function ---------------------------------------------

def section_lbfgs(quick):
    n = 10_000
    x0 = extended_rosenbrock.start(n)
    repeats = 5 if quick else 15
    print(f"\n2. L-BFGS, extended Rosenbrock, n = {n} (medians of {repeats} runs; wall and CPU time)")
    t0 = time.perf_counter()
    f = kobai.expr(extended_rosenbrock.as_text(n))
    t_compile = time.perf_counter() - t0
    options = {"gtol": 1e-6, "history": False}
    runs = [
        ("scipy L-BFGS-B (NumPy objective)",
         lambda: scipy_minimize(extended_rosenbrock.value_and_gradient, x0, jac=True, method="L-BFGS-B")),
        ("kobai lbfgs (same NumPy objective)",
         lambda: kobai.minimize(extended_rosenbrock.value_and_gradient, x0, jac=True, method="lbfgs",
                                options=options)),
        ("kobai lbfgs (kobai.expr objective)", lambda: kobai.minimize(f, x0, method="lbfgs", options=options)),
        ("  the same, default history", lambda: kobai.minimize(f, x0, method="lbfgs", options={"gtol": 1e-6})),
        ("  the same, history with iterates",
         lambda: kobai.minimize(f, x0, method="lbfgs", options={"gtol": 1e-6, "history_x": True})),
    ]
    print(f"   {'':<36}{'nfev':>6}{'nit':>5}{'final f':>11}{'wall ms':>9}{'ratio':>7}{'CPU ms':>9}{'ratio':>7}")
    reference = None
    for label, run in runs:
        r = run()
        wall, cpu = wall_and_cpu(run, repeats)
        reference = reference or (wall, cpu)
        print(f"   {label:<36}{r.nfev:>6}{r.nit:>5}{r.fun:>11.2e}{wall * 1e3:>9.2f}{reference[0] / wall:>6.1f}x"
              f"{cpu * 1e3:>9.2f}{reference[1] / cpu:>6.1f}x")
    print(f"   (kobai.expr compiled the {n}-variable text once in {t_compile * 1e3:.0f} ms, not in the times above;")
    print("    ratio: SciPy's time / this row's, > 1 is faster than SciPy)")


# ---- 3. per-iteration overhead of a Python objective -------------------------------------------

def beale_numpy(x):
    """Beale's value and gradient (the way one writes it in NumPy)."""
    a, b = x
    t1, t2, t3 = 1.5 - a + a * b, 2.25 - a + a * b * b, 2.625 - a + a * b ** 3
    g = np.array([2 * t1 * (b - 1) + 2 * t2 * (b * b - 1) + 2 * t3 * (b ** 3 - 1),
                  2 * t1 * a + 2 * t2 * 2 * a * b + 2 * t3 * 3 * a * b * b])
    return t1 * t1 + t2 * t2 + t3 * t3, g


def section_overhead(quick):
    iterations = 10_000
    repeats = 3 if quick else 7
    options = {"lr": 1e-3, "beta2": 0.8, "maxiter": iterations, "gtol": 0, "history": False}
    x0 = np.array([3.0, 4.0])
    print(f"\n3. Beale, Adam (lr 1e-3, beta2 0.8, from (3, 4)), {iterations} iterations (median of {repeats})")
    beale = kobai.problems.beale()
    native = median_seconds(lambda: kobai.minimize(beale, x0, method="adam", options=options), repeats)
    python = median_seconds(lambda: kobai.minimize(beale_numpy, x0, jac=True, method="adam", options=options),
                            repeats)
    points = [np.array([3.0 - 1e-4 * i, 4.0]) for i in range(iterations)]

    def call_alone():
        for p in points:
            beale_numpy(p)

    alone = median_seconds(call_alone, repeats)
    r_native = kobai.minimize(beale, x0, method="adam", options=options)
    r_python = kobai.minimize(beale_numpy, x0, jac=True, method="adam", options=options)
    per = lambda t: t / iterations * 1e6  # noqa: E731
    print(f"   native loop (kobai.problems.beale())    {per(native):8.3f} us/iteration")
    print(f"   Python fun (NumPy, jac=True)            {per(python):8.3f} us/iteration "
          f"({python / native:.0f}x the native loop)")
    print(f"   the Python fun alone                    {per(alone):8.3f} us/call")
    print(f"   kobai's overhead per Python call        {per(python - alone):8.3f} us "
          "(copy of x, the call, reading (f, g) back)")
    print(f"   same end point: |x_native - x_python| = {np.max(np.abs(r_native.x - r_python.x)):.1e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--only", choices=["adam", "lbfgs", "overhead"], help="run one section")
    args = parser.parse_args()
    print(f"kobai {kobai.__version__} ({kobai.num_threads()} threads), NumPy {np.__version__}, SciPy "
          f"{scipy.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)")
    print("load average at the start: {:.2f} {:.2f} {:.2f}\n".format(*os.getloadavg()))
    if not args.only or args.only == "adam":
        section_adam(args.quick)
    if not args.only or args.only == "lbfgs":
        section_lbfgs(args.quick)
    if not args.only or args.only == "overhead":
        section_overhead(args.quick)
    print("\nload average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
