"""kobai's built-in test problems as Functions: value, exact gradient and Hessian, known minimizers,
a standard start point and a plotting box.

    f = kobai.problems.beale()
    f.value([3, 0.5]), f.gradient(f.start), f.minimizers, f.minimum_value, f.box
    kobai.minimize(f, f.start, method="adam", options={"lr": 0.1})   # runs natively

Every problem is also reachable by name: kobai.problems.make("rosenbrock", 10).
"""
from . import _kobai

__all__ = ["names", "make"]


def names():
    """Every problem's name, in the catalog's order (as `kobai functions` lists them)."""
    return list(_kobai.problem_names())


def make(name, dimension=0):
    """The problem `name` (dimension 0: its default; n-dimensional ones take any valid n)."""
    return _kobai.problem(str(name), int(dimension))


def _factory(problem_name):
    def factory(dimension=0):
        return make(problem_name, dimension)
    factory.__name__ = problem_name
    factory.__qualname__ = problem_name
    f = make(problem_name)
    factory.__doc__ = f"{f.formula}\n\n{f.description}\n\nkobai.problems.{problem_name}(dimension=0)"
    return factory


for _name in names():
    globals()[_name] = _factory(_name)
    __all__.append(_name)
del _name
