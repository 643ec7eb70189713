#!/usr/bin/python3
"""kobai from Python against its references, measured in the same run (issue 13).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py [--quick]

1. kobai.optim.Adam.step on a 10^7-element float32 NumPy array against torch.optim.Adam (1.13) on
   a tensor of the same size: median seconds per step, ns per parameter, ratio (target: >= 5x).
   Both at their default thread counts, then both at one thread.
2. L-BFGS on the extended Rosenbrock function, n = 10^4, from (-1.2, 1, -1.2, 1, ...):
   scipy.optimize.minimize(method="L-BFGS-B") and kobai.minimize(method="lbfgs") with the same
   vectorized NumPy objective (jac=True): evaluations and median wall time (target: no more of
   either); then kobai with the objective typed as text (kobai.expr, a 10^4-variable expression
   evaluated natively; compiled once, its compile time printed apart): target >= 10x faster than
   SciPy. SciPy runs with its defaults (m = 10, gtol 1e-5, ftol 2.2e-9); kobai stops at
   max |g| < 1e-6 (tighter), as bench/lbfgs_vs_scipy.py does; both final f are printed.
3. What a Python objective costs per iteration: seed 003's Adam run on Beale (lr 1e-3, beta2 0.8,
   from (3, 4)), 10,000 iterations, natively (kobai.problems.beale()) and with a NumPy fun
   (jac=True); the Python function alone, called 10,000 times, is timed too, so the difference
   is kobai's own per-call overhead (array copy of x, call, conversion of the result).
Timings are medians of repeats; they are printed, never asserted (timings are not tests).
"""
import argparse
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


def median_seconds(fn, repeats, min_seconds=0.0):
    times, began = [], time.perf_counter()
    while len(times) < repeats or time.perf_counter() - began < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


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

def rosenbrock_extended(x):
    """Value and gradient of sum_i 100 (x_{2i+1} - x_{2i}^2)^2 + (1 - x_{2i})^2, vectorized."""
    odd, even = x[1::2], x[0::2]
    a = odd - even * even
    b = 1.0 - even
    g = np.empty_like(x)
    g[0::2] = -400.0 * even * a - 2.0 * b
    g[1::2] = 200.0 * a
    return 100.0 * np.dot(a, a) + np.dot(b, b), g


def rosenbrock_text(n):
    return " + ".join(f"100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(0, n, 2))


def section_lbfgs(quick):
    n = 10_000
    x0 = np.tile([-1.2, 1.0], n // 2)
    repeats = 3 if quick else 7
    print(f"\n2. L-BFGS, extended Rosenbrock, n = {n} (median of {repeats} runs)")
    s = scipy_minimize(rosenbrock_extended, x0, jac=True, method="L-BFGS-B")
    t_scipy = median_seconds(lambda: scipy_minimize(rosenbrock_extended, x0, jac=True, method="L-BFGS-B"), repeats)
    options = {"gtol": 1e-6, "history": False}
    k = kobai.minimize(rosenbrock_extended, x0, jac=True, method="lbfgs", options=options)
    t_numpy = median_seconds(lambda: kobai.minimize(rosenbrock_extended, x0, jac=True, method="lbfgs",
                                                    options=options), repeats)
    t0 = time.perf_counter()
    f = kobai.expr(rosenbrock_text(n))
    t_compile = time.perf_counter() - t0
    e = kobai.minimize(f, x0, method="lbfgs", options=options)
    t_expr = median_seconds(lambda: kobai.minimize(f, x0, method="lbfgs", options=options), repeats)
    print(f"   {'':<34}{'nfev':>6}{'nit':>6}{'final f':>12}{'ms':>10}{'vs SciPy':>10}")
    print(f"   {'scipy L-BFGS-B (NumPy objective)':<34}{s.nfev:>6}{s.nit:>6}{s.fun:>12.2e}{t_scipy * 1e3:>10.2f}"
          f"{'1.0x':>10}")
    print(f"   {'kobai lbfgs (same NumPy objective)':<34}{k.nfev:>6}{k.nit:>6}{k.fun:>12.2e}{t_numpy * 1e3:>10.2f}"
          f"{t_scipy / t_numpy:>9.1f}x")
    print(f"   {'kobai lbfgs (kobai.expr objective)':<34}{e.nfev:>6}{e.nit:>6}{e.fun:>12.2e}{t_expr * 1e3:>10.2f}"
          f"{t_scipy / t_expr:>9.1f}x")
    print(f"   (kobai.expr compiled the {n}-variable text once in {t_compile * 1e3:.0f} ms, not in the times above)")


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
    args = parser.parse_args()
    print(f"kobai {kobai.__version__} ({kobai.num_threads()} threads), NumPy {np.__version__}, SciPy "
          f"{scipy.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)\n")
    section_adam(args.quick)
    section_lbfgs(args.quick)
    section_overhead(args.quick)


if __name__ == "__main__":
    main()
