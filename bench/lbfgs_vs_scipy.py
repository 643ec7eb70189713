#!/usr/bin/python3
"""kobai's L-BFGS and BFGS against scipy.optimize.minimize on the extended Rosenbrock function.

Runs the C++ program bench/lbfgs_vs_scipy.cpp for the kobai side and SciPy's L-BFGS-B (n = 2, 100,
1,000, 10,000) and BFGS (n = 2, 100) for the other, on the EXTENDED (paired) Rosenbrock function

    f(x) = sum_{i = 0, 2, 4, ...} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2

from (-1.2, 1, -1.2, 1, ...). SciPy's own `rosen` is the chained form, a different function, so
the function and its gradient are written in vectorized numpy (bench/extended_rosenbrock.py).
SciPy runs with its default options (L-BFGS-B: m = 10, gtol = 1e-5, ftol = 2.2e-9; BFGS: gtol =
1e-5); kobai stops when max |g_i| < --tolerance (1e-6). Both sides count one evaluation of f and
its gradient as one function evaluation. Wall times are medians of repeated runs in this process /
the C++ program.

    /usr/bin/python3 bench/lbfgs_vs_scipy.py [--bench build/bench/lbfgs_vs_scipy] [--check]

--check exits with status 1 unless, at every n, kobai's L-BFGS converged to f < 1e-10 with no
more function evaluations than SciPy's L-BFGS-B (the wall-time comparison is printed, never
asserted: timings are not tests). The ctest test `lbfgs_vs_scipy_conformance` runs it that way.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize

import extended_rosenbrock  # this folder's

LBFGS_SIZES = [2, 100, 1000, 10000]
BFGS_SIZES = [2, 100]
EXPR_SIZES = [1000, 10000]  # kobai's L-BFGS on the function typed as text (kobai::expr)


def run_scipy(method, n, repeats):
    x0 = extended_rosenbrock.start(n)
    seconds = []
    began = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        result = minimize(extended_rosenbrock.value_and_gradient, x0, jac=True, method=method)
        t1 = time.perf_counter()
        seconds.append(t1 - t0)
        count = len(seconds)
        if repeats > 0:
            if count >= repeats:
                break
        elif (count >= 3 and t1 - began > 0.3) or count >= 200:
            break
    return {
        "side": "scipy",
        "method": "L-BFGS" if method == "L-BFGS-B" else "BFGS",
        "n": n,
        "iterations": int(result.nit),
        "function_evaluations": int(result.nfev),
        "value": float(result.fun),
        "gradient_max_abs": float(np.abs(result.jac).max()),
        "status": "converged" if result.success else str(result.message),
        "seconds": statistics.median(seconds),
    }


def run_kobai(bench, tolerance, repeats):
    command = [bench, "--tolerance", repr(tolerance), "--repeats", str(repeats),
               "--lbfgs", ",".join(map(str, LBFGS_SIZES)), "--bfgs", ",".join(map(str, BFGS_SIZES)),
               "--expr", ",".join(map(str, EXPR_SIZES))]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def find_bench(root):
    for directory in ["build", "build-second-order"] + sorted(
            d for d in os.listdir(root) if d.startswith("build")):
        candidate = os.path.join(root, directory, "bench", "lbfgs_vs_scipy")
        if os.access(candidate, os.X_OK):
            return candidate
    sys.exit("lbfgs_vs_scipy program not found; build it (cmake --build build --target "
             "lbfgs_vs_scipy) or pass --bench PATH")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", help="path of the built lbfgs_vs_scipy program")
    parser.add_argument("--tolerance", type=float, default=1e-6,
                        help="kobai's gradient tolerance (max |g_i|), default 1e-6")
    parser.add_argument("--repeats", type=int, default=0,
                        help="runs per timing (0: repeat for ~0.3 s)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless kobai's L-BFGS meets the evaluation and f criteria")
    args = parser.parse_args()
    bench = args.bench or find_bench(root)

    kobai = {(r["method"], r["n"]): r for r in run_kobai(bench, args.tolerance, args.repeats)}
    scipy_rows = {}
    for n in LBFGS_SIZES:
        scipy_rows[("L-BFGS", n)] = run_scipy("L-BFGS-B", n, args.repeats)
    for n in BFGS_SIZES:
        scipy_rows[("BFGS", n)] = run_scipy("BFGS", n, args.repeats)

    print(f"Extended Rosenbrock from (-1.2, 1, ...); kobai tolerance max|g| < {args.tolerance:g}, "
          f"SciPy {scipy.__version__} defaults; times are medians.")
    header = (f"{'method':<7} {'n':>6} | {'kobai it':>8} {'evals':>5} {'f':>9} {'ms':>8} | "
              f"{'SciPy it':>8} {'evals':>5} {'f':>9} {'ms':>8} | {'evals k/S':>9} {'time k/S':>8}")
    print(header)
    print("-" * len(header))
    failures = []
    keys = ([("L-BFGS", n) for n in LBFGS_SIZES] + [("BFGS", n) for n in BFGS_SIZES]
            + [("L-BFGS expr", n) for n in EXPR_SIZES])
    for key in keys:
        k, s = kobai[key], scipy_rows[("L-BFGS", key[1]) if key[0] == "L-BFGS expr" else key]
        evals_ratio = k["function_evaluations"] / s["function_evaluations"]
        time_ratio = k["seconds"] / s["seconds"]
        label = {"L-BFGS": "L-BFGS", "BFGS": "BFGS", "L-BFGS expr": "L-expr"}[key[0]]
        print(f"{label:<7} {key[1]:>6} | {k['iterations']:>8} {k['function_evaluations']:>5} "
              f"{k['value']:>9.1e} {k['seconds'] * 1e3:>8.3f} | {s['iterations']:>8} "
              f"{s['function_evaluations']:>5} {s['value']:>9.1e} {s['seconds'] * 1e3:>8.3f} | "
              f"{evals_ratio:>9.2f} {time_ratio:>8.3f}")
        if key[0] in ("L-BFGS", "L-BFGS expr"):
            if k["status"] != "converged" or not k["value"] < 1e-10:
                failures.append(f"{key[0]} n = {key[1]}: kobai ended {k['status']} with "
                                f"f = {k['value']:.3g} (needs converged, f < 1e-10)")
            if k["function_evaluations"] > s["function_evaluations"]:
                failures.append(f"{key[0]} n = {key[1]}: kobai needed {k['function_evaluations']} "
                                f"evaluations, SciPy's L-BFGS-B {s['function_evaluations']}")
            if time_ratio >= 1:
                print(f"  note: kobai's wall time is not below SciPy's at n = {key[1]} "
                      "(timings are reported, not asserted)")
    print("(L-BFGS rows compare kobai's L-BFGS with SciPy's L-BFGS-B; L-expr rows the same with kobai's\n"
          " objective typed as text, kobai::expr; ratios are kobai / SciPy)")
    for failure in failures:
        print("FAIL:", failure)
    if not failures:
        print("PASS: kobai's L-BFGS reached f < 1e-10 with no more evaluations than SciPy's "
              "L-BFGS-B at every n")
    return 1 if (failures and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
