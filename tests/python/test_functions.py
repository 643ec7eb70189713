"""kobai.expr, kobai.problems and kobai.check_gradient against analytic values."""
import numpy as np
import pytest

import kobai


def test_expression_value_gradient_hessian_are_exact():
    f = kobai.expr("x^2*y + sin(z)")
    x = np.array([1.5, -2.0, 0.3])
    assert f.dimension == 3
    assert f.value(x) == pytest.approx(1.5**2 * -2.0 + np.sin(0.3), rel=1e-15)
    np.testing.assert_allclose(f.gradient(x), [2 * 1.5 * -2.0, 1.5**2, np.cos(0.3)], rtol=1e-15)
    np.testing.assert_allclose(f.hessian(x), [[2 * -2.0, 2 * 1.5, 0], [2 * 1.5, 0, 0], [0, 0, -np.sin(0.3)]],
                               rtol=1e-15, atol=1e-300)
    v, g = f.value_and_gradient(x)
    assert v == f(x) and np.array_equal(g, f.gradient(x))
    assert kobai.expr("x", dimension=3).dimension == 3


def test_every_problem_has_a_stationary_minimizer():
    names = kobai.problems.names()
    assert {"beale", "rosenbrock", "himmelblau", "sphere", "rastrigin"} <= set(names)
    for name in names:
        f = getattr(kobai.problems, name)()
        assert f.name == name and len(f.start) == f.dimension
        lower, upper = f.box
        assert np.all(lower < upper)
        for m in f.minimizers:
            assert f.value(m) == pytest.approx(f.minimum_value, abs=1e-9), name
            assert np.max(np.abs(f.gradient(m))) < 1e-6, name
    assert kobai.problems.rosenbrock(10).dimension == 10


def test_check_gradient_passes_a_right_gradient_and_fails_a_wrong_one():
    f = kobai.problems.beale()
    right = kobai.check_gradient(f.value, f.gradient, [1.0, 1.0])
    assert right and right.passed and right.max_relative_error < 1e-8
    wrong = kobai.check_gradient(f.value, lambda x: f.gradient(x) * [1, -1], [1.0, 1.0])
    assert not wrong and wrong.worst_component == 1 and wrong.max_relative_error > 1
    assert "FAILED" in wrong.summary
    np.testing.assert_allclose(wrong.numerical, f.gradient([1.0, 1.0]), rtol=1e-8)


def test_a_long_typed_sum_is_exact_and_runs_like_the_built_in_problem():
    """10^3 variables typed as a sum of 500 terms of one shape: kobai evaluates it term shape by
    term shape (kobai/expr/sum_form.hpp); value and gradient against NumPy, and L-BFGS on it takes
    the built-in problem's path."""
    n = 1000
    f = kobai.expr(" + ".join(f"100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(0, n, 2)))
    x = np.random.default_rng(3).uniform(-2, 2, n)
    even, odd = x[0::2], x[1::2]
    a, b = odd - even * even, 1 - even
    assert f.value(x) == pytest.approx(100 * np.sum(a * a) + np.sum(b * b), rel=1e-13)
    g = np.empty(n)
    g[0::2], g[1::2] = -400 * even * a - 2 * b, 200 * a
    np.testing.assert_allclose(f.gradient(x), g, rtol=1e-13, atol=1e-12)
    built_in = kobai.problems.rosenbrock(n)
    typed = kobai.minimize(f, built_in.start, method="lbfgs", options={"gtol": 1e-6})
    native = kobai.minimize(built_in, built_in.start, method="lbfgs", options={"gtol": 1e-6})
    assert typed.success and (typed.nit, typed.nfev) == (native.nit, native.nfev)
    np.testing.assert_allclose(typed.x, native.x, atol=1e-9)
