"""kobai from Python: kobai's C++ optimizers with SciPy's and PyTorch's calling conventions.

    import kobai
    r = kobai.minimize(fun, x0, jac=grad, method="lbfgs")        # SciPy's shape, SciPy's fields
    r = kobai.minimize(kobai.expr("(1 - x)^2 + 100*(y - x^2)^2"), [-1.2, 1], method="bfgs")
    scipy.optimize.minimize(fun, x0, jac=grad, method=kobai.scipy_method("lbfgs"))

    opt = kobai.optim.Adam([w, b], lr=1e-3)                        # PyTorch's shape, NumPy arrays
    opt.step([gw, gb])                                             # w and b updated in place

    kobai.problems.beale(), kobai.check_gradient(f, grad, x), kobai.report.compare(...)

See docs/python.md.
"""
from . import _kobai
from ._minimize import OptimizeResult, methods, minimize, scipy_method
from ._functions import Function, check_gradient, expr
from . import optim, problems, report

__all__ = ["minimize", "scipy_method", "methods", "OptimizeResult", "expr", "Function", "check_gradient",
           "optim", "problems", "report", "set_num_threads", "num_threads"]
__version__ = "0.1.0"


def set_num_threads(threads):
    """Threads that large optimizer steps may use (default: the machine's cores)."""
    if int(threads) < 1:
        raise ValueError(f"threads must be >= 1, got {threads!r}")
    _kobai.set_num_threads(int(threads))


def num_threads():
    """Threads that large optimizer steps may use."""
    return _kobai.num_threads()
