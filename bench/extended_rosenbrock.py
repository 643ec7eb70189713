"""The extended (paired) Rosenbrock function in vectorized NumPy, as the SciPy comparisons write it.

    f(x) = sum_{i = 0, 2, 4, ...} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2,  from (-1.2, 1, -1.2, 1, ...)

SciPy's own `rosen` is the chained form, a different function. Shared by bench/lbfgs_vs_scipy.py
and bench/python_bench.py, which import it from this folder.
"""
import numpy as np


def value_and_gradient(x):
    """f(x) and its gradient, for scipy.optimize.minimize(..., jac=True)."""
    odd, even = x[1::2], x[0::2]
    a = odd - even * even
    b = 1.0 - even
    g = np.empty_like(x)
    g[0::2] = -400.0 * even * a - 2.0 * b
    g[1::2] = 200.0 * a
    return 100.0 * np.dot(a, a) + np.dot(b, b), g


def start(n):
    """The standard start point (-1.2, 1, -1.2, 1, ...) of dimension n (even)."""
    return np.tile([-1.2, 1.0], n // 2)


def as_text(n):
    """The same function typed as text, for kobai.expr / kobai::expr."""
    return " + ".join(f"100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(0, n, 2))
