"""Functions with exact derivatives (text expressions, built-in problems) and the gradient check."""
from . import _kobai

Function = _kobai.Function


def expr(text, dimension=0):
    """A Function from text: value, exact gradient and exact Hessian, evaluated natively.

    Variables are x, y, z (= x0, x1, x2) or x0, x1, ...; the dimension is the largest index + 1
    unless given. kobai.minimize on the result runs without calling Python.

        f = kobai.expr("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2")
        f.value([3, 0.5]), f.gradient([3, 0.5]), f.hessian([3, 0.5])
    """
    return _kobai.expression(str(text), int(dimension))


class GradientCheck(dict):
    """The outcome of check_gradient: passed, worst_component, max_relative_error, ... (also keys)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e

    def __bool__(self):
        return bool(self["passed"])

    def __repr__(self):
        return f"GradientCheck({self['summary']})"


def check_gradient(f, grad, x, tolerance=1e-6, absolute_floor=1.0):
    """Compares grad(x) with kobai's central-difference gradient of f at x.

    Passed when max_i |a_i - n_i| / max(|a_i|, |n_i|, absolute_floor) <= tolerance. Returns a
    GradientCheck (a dict with attribute access, truthy when passed): passed, worst_component,
    max_absolute_error, max_relative_error, analytic, numerical, absolute_error, relative_error,
    summary.
    """
    return GradientCheck(_kobai.check_gradient(f, grad, x, float(tolerance), float(absolute_floor)))
