"""The result's history: its scalar series are the same whether the iterates are kept or not, and
the iterates (n doubles per row) are kept by default only up to n = 1000, else on request
(history_x, or SciPy's return_all)."""
import numpy as np
import pytest

import kobai

SCALARS = ["iteration", "fun", "gradient_max_abs", "gradient_norm", "lr"]


def assert_same_scalars(a, b):
    for key in SCALARS:
        np.testing.assert_array_equal(a.history[key], b.history[key], err_msg=key)
    assert a.history["stride"] == b.history["stride"]


@pytest.mark.parametrize("method,options", [
    ("lbfgs", {}),
    ("lbfgs", {"history_stride": 5}),
    ("adam", {"lr": 0.01, "maxiter": 40, "history_stride": 3}),  # ends on an iteration the stride skips
    ("gd", {"lr": 10.0, "maxiter": 50}),                         # diverges: the last row is the last finite point
])
def test_iterates_kept_only_when_asked_at_large_n(method, options):
    f = kobai.problems.rosenbrock(1002)
    default = kobai.minimize(f, f.start, method=method, options=options)
    kept = kobai.minimize(f, f.start, method=method, options={**options, "history_x": True})
    assert "x" not in default.history
    assert kept.history["x"].shape == (len(kept.history["iteration"]), 1002)
    np.testing.assert_array_equal(kept.history["x"][0], f.start)
    np.testing.assert_array_equal(kept.history["x"][-1], kept.x)
    assert_same_scalars(default, kept)
    h = default.history
    diverged = method == "gd"  # then the last row is the last finite iterate's, one before nit
    assert h["iteration"][0] == 0 and h["iteration"][-1] == default.nit - diverged
    assert h["fun"][0] == f.value(f.start) and h["fun"][-1] == default.fun
    assert h["gradient_max_abs"][-1] == np.max(np.abs(default.jac))
    np.testing.assert_allclose(h["gradient_norm"][-1], np.linalg.norm(default.jac), rtol=1e-14)
    if diverged:
        assert default.kobai_status == "diverged" and default.diverged_at == kept.diverged_at


def test_python_functions_return_all_and_callbacks():
    n = 1200
    a = np.linspace(1, 3, n)

    def fun(x):
        return 0.5 * float(np.sum(a * (x - 1) ** 2)), a * (x - 1)

    seen = []
    default = kobai.minimize(fun, np.zeros(n), jac=True, method="cg", callback=lambda x: seen.append(x.copy()))
    kept = kobai.minimize(fun, np.zeros(n), jac=True, method="cg", options={"return_all": True})
    assert default.success and "x" not in default.history
    assert_same_scalars(default, kept)
    assert len(seen) == default.nit  # the user's callback still runs every iteration
    np.testing.assert_array_equal(kept.history["x"][1:], np.array(seen))


def test_small_problems_keep_the_iterates_unless_told_not_to():
    beale = kobai.problems.beale()
    r = kobai.minimize(beale, [1.0, 1.0], method="lbfgs")
    assert r.history["x"].shape == (r.nit + 1, 2)
    off = kobai.minimize(beale, [1.0, 1.0], method="lbfgs", options={"history_x": False})
    assert "x" not in off.history
    assert_same_scalars(r, off)
    with pytest.raises(ValueError, match="unknown option"):
        kobai.minimize(beale, [1.0, 1.0], method="lbfgs", options={"history_iterates": True})


def test_history_switches_must_be_booleans():
    beale = kobai.problems.beale()
    with pytest.raises(TypeError, match="history_x must be True or False, got 'yes'"):
        kobai.minimize(beale, [1.0, 1.0], method="lbfgs", options={"history_x": "yes"})
    with pytest.raises(TypeError, match="history must be True or False, got 2"):
        kobai.minimize(beale, [1.0, 1.0], method="lbfgs", options={"history": 2})
    r = kobai.minimize(beale, [1.0, 1.0], method="lbfgs", options={"history_x": np.bool_(False)})
    assert "x" not in r.history
