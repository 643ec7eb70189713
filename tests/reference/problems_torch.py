#!/usr/bin/python3
"""Reference values, gradients and Hessians of kobai's built-in problems from PyTorch autograd.

Each function is written here as its textbook formula (not kobai's rearranged forms), evaluated in
float64, and differentiated by torch.autograd. Output: tests/reference/problems_torch.json, read by
tests/problems_test.cpp (MatchesPyTorchAutograd). Regenerate with
    /usr/bin/python3 tests/reference/problems_torch.py > tests/reference/problems_torch.json
"""
import json
import math

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
pi = math.pi


def quadratic1d(x):
    return (5 - x[0]) ** 2


def sphere(x):
    return (x ** 2).sum()


def elliptic(x):
    return x[0] ** 2 / 16 + 9 * x[1] ** 2


def cubic(x):
    return x[0] ** 3 - 3 * x[0] ** 2 - 9 * x[0] + 2


def sine_bowl(x):
    return torch.sin(x[0]) + 0.05 * (5 - x[0]) ** 2


def beale(v):
    x, y = v[0], v[1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2


def rosenbrock(x):
    f = 0
    for i in range(0, x.shape[0], 2):
        f = f + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return f


def himmelblau(v):
    x, y = v[0], v[1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def booth(v):
    x, y = v[0], v[1]
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def matyas(v):
    x, y = v[0], v[1]
    return 0.26 * (x ** 2 + y ** 2) - 0.48 * x * y


def three_hump_camel(v):
    x, y = v[0], v[1]
    return 2 * x ** 2 - 1.05 * x ** 4 + x ** 6 / 6 + x * y + y ** 2


def goldstein_price(v):
    x, y = v[0], v[1]
    a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x ** 2 - 14 * y + 6 * x * y + 3 * y ** 2)
    b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x ** 2 + 48 * y - 36 * x * y + 27 * y ** 2)
    return a * b


def rastrigin(x):
    n = x.shape[0]
    return 10 * n + (x ** 2 - 10 * torch.cos(2 * pi * x)).sum()


def ackley(x):
    n = x.shape[0]
    return (-20 * torch.exp(-0.2 * torch.sqrt((x ** 2).sum() / n))
            - torch.exp(torch.cos(2 * pi * x).sum() / n) + 20 + math.e)


def styblinski_tang(x):
    return 0.5 * (x ** 4 - 16 * x ** 2 + 5 * x).sum()


# name, dimension, function, start, box (as in kobai)
CASES = [
    ("quadratic1d", 1, quadratic1d, [-5.0], (-10.0, 20.0)),
    ("sphere", 2, sphere, [-3.0, 4.0], (-5.0, 5.0)),
    ("sphere", 3, sphere, [-3.0, 4.0, -3.0], (-5.0, 5.0)),
    ("elliptic", 2, elliptic, [-2.4, 0.2], (-3.0, 3.0)),
    ("cubic", 1, cubic, [1.0], (-3.0, 4.0)),
    ("sine_bowl", 1, sine_bowl, [-10.0], (-12.0, 22.0)),
    ("beale", 2, beale, [3.0, 4.0], (-4.5, 4.5)),
    ("rosenbrock", 2, rosenbrock, [-1.2, 1.0], (-2.0, 2.0)),
    ("rosenbrock", 4, rosenbrock, [-1.2, 1.0, -1.2, 1.0], (-2.0, 2.0)),
    ("himmelblau", 2, himmelblau, [0.0, 0.0], (-5.0, 5.0)),
    ("booth", 2, booth, [-5.0, -5.0], (-10.0, 10.0)),
    ("matyas", 2, matyas, [8.0, 6.0], (-10.0, 10.0)),
    ("three_hump_camel", 2, three_hump_camel, [-2.0, 2.0], (-3.0, 3.0)),
    ("goldstein_price", 2, goldstein_price, [-0.5, 0.5], (-2.0, 2.0)),
    ("rastrigin", 2, rastrigin, [3.3, -2.7], (-5.12, 5.12)),
    ("rastrigin", 3, rastrigin, [3.3, -2.7, 3.3], (-5.12, 5.12)),
    ("ackley", 2, ackley, [2.5, -1.5], (-5.0, 5.0)),
    ("ackley", 3, ackley, [2.5, -1.5, 2.5], (-5.0, 5.0)),
    ("styblinski_tang", 2, styblinski_tang, [0.0, 0.0], (-5.0, 5.0)),
    ("styblinski_tang", 3, styblinski_tang, [0.0, 0.0, 0.0], (-5.0, 5.0)),
]


def main():
    rng = np.random.default_rng(20261122)
    rows = []
    for name, n, f, start, (lo, hi) in CASES:
        points = [np.array(start)] + [rng.uniform(lo, hi, size=n) for _ in range(4)]
        for p in points:
            x = torch.tensor(p, requires_grad=True)
            value = f(x)
            (grad,) = torch.autograd.grad(value, x)
            hess = torch.autograd.functional.hessian(f, torch.tensor(p))
            rows.append({
                "name": name,
                "x": [float(t) for t in p],
                "value": float(value),
                "gradient": [float(t) for t in grad],
                "hessian": [[float(t) for t in row] for row in hess],
            })
    print(json.dumps({"generator": "tests/reference/problems_torch.py", "torch": torch.__version__,
                      "cases": rows}, indent=1))


if __name__ == "__main__":
    main()
