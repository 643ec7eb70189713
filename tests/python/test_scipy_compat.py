"""kobai.minimize and kobai.scipy_method against scipy.optimize.minimize (SciPy 1.10) on the same
problems: the same fields, the same minimizers, comparable work."""
import numpy as np
import pytest
import scipy.optimize as so

import kobai

SCIPY_FIELDS = {"x", "fun", "jac", "nit", "nfev", "njev", "status", "success", "message"}


def quadratic(x, a):
    return 0.5 * float(np.sum(a * x * x)), a * x


def test_fields_and_types():
    r = kobai.minimize(so.rosen, np.full(4, -1.0), jac=so.rosen_der, method="lbfgs")
    assert SCIPY_FIELDS <= set(r) and {"history", "diverged_at"} <= set(r)
    assert isinstance(r.x, np.ndarray) and r.x.shape == (4,) and r.x.dtype == np.float64
    assert isinstance(r.jac, np.ndarray) and r.jac.shape == (4,)
    assert isinstance(r.fun, float) and isinstance(r.nit, int) and isinstance(r.success, bool)
    assert r.status == 0 and r.success and r.kobai_status == "converged" and r.diverged_at is None
    h = r.history
    assert h["x"].shape == (len(h["iteration"]), 4) and h["iteration"][0] == 0 and h["iteration"][-1] == r.nit
    assert h["fun"][0] == pytest.approx(so.rosen(np.full(4, -1.0)))
    assert h["fun"][-1] == r.fun
    plain = r.as_dict()
    assert type(plain) is dict and type(plain["history"]) is dict


@pytest.mark.parametrize("kobai_method,scipy_method", [("lbfgs", "L-BFGS-B"), ("bfgs", "BFGS"), ("cg", "CG")])
@pytest.mark.parametrize("n", [2, 10, 50])
def test_same_minimizer_as_scipy_on_rosenbrock(kobai_method, scipy_method, n):
    x0 = 1 + 0.5 * np.sin(np.arange(n))  # SciPy's BFGS finds the local minimum near (-1, 1, ...) from (-1.2, 1, ...)
    ours = kobai.minimize(so.rosen, x0, jac=so.rosen_der, method=kobai_method, options={"maxiter": 5000})
    theirs = so.minimize(so.rosen, x0, jac=so.rosen_der, method=scipy_method, options={"maxiter": 5000})
    assert ours.success, ours.message
    np.testing.assert_allclose(ours.x, np.ones(n), atol=1e-6)
    np.testing.assert_allclose(ours.x, theirs.x, atol=2e-4)  # SciPy stops at its own, looser tolerances
    assert ours.fun <= theirs.fun + 1e-12


def test_lbfgs_needs_no_more_evaluations_than_scipy_to_the_same_accuracy():
    """Both asked for max|g| <= 1e-5 (SciPy's pgtol rule for L-BFGS-B)."""
    x0 = np.tile([-1.2, 1.0], 50)
    ours = kobai.minimize(so.rosen, x0, jac=so.rosen_der, method="lbfgs", options={"gtol": 1e-5})
    theirs = so.minimize(so.rosen, x0, jac=so.rosen_der, method="L-BFGS-B", options={"gtol": 1e-5, "ftol": 0})
    assert ours.success and theirs.success
    assert ours.nfev <= theirs.nfev, (ours.nfev, theirs.nfev)


def test_scipy_method_inside_scipy_minimize():
    x0 = np.array([-1.2, 1.0, -1.2, 1.0])
    direct = kobai.minimize(so.rosen, x0, jac=so.rosen_der, method="bfgs")
    through = so.minimize(so.rosen, x0, jac=so.rosen_der, method=kobai.scipy_method("bfgs"))
    assert isinstance(through, so.OptimizeResult)
    np.testing.assert_array_equal(through.x, direct.x)
    assert through.nit == direct.nit and through.success
    # jac=True (SciPy memoizes fun), tol (SciPy passes it as options["tol"]), and fixed options
    r = so.minimize(lambda x: (so.rosen(x), so.rosen_der(x)), x0, jac=True, tol=1e-10,
                    method=kobai.scipy_method("lbfgs", memory=5))
    assert r.success and np.max(np.abs(r.jac)) < 1e-10 and r.hyperparameters["memory"] == 5
    r = so.minimize(lambda x: float(x @ x), [3.0, 4.0], jac=lambda x: 2 * x,
                    method=kobai.scipy_method("adam"), options={"lr": 0.1, "maxiter": 3000})
    np.testing.assert_allclose(r.x, 0, atol=1e-6)


def test_gradient_forms_and_args():
    a = np.array([1.0, 4.0, 9.0])
    x0 = np.ones(3)
    with_value = kobai.minimize(quadratic, x0, args=(a,), jac=True, method="lbfgs")
    separate = kobai.minimize(lambda x, a: quadratic(x, a)[0], x0, args=(a,),
                              jac=lambda x, a: quadratic(x, a)[1], method="lbfgs")
    numerical = kobai.minimize(lambda x, a: quadratic(x, a)[0], x0, args=(a,), method="lbfgs")
    np.testing.assert_array_equal(with_value.x, separate.x)
    assert with_value.nfev == with_value.njev == separate.nfev == separate.njev
    np.testing.assert_allclose(numerical.x, 0, atol=1e-7)
    assert numerical.nfev > 2 * 3 * numerical.njev  # central differences: 2n calls per gradient


def test_newton_with_hess_and_exact_hessians():
    a = np.array([1.0, 4.0, 9.0])
    r = kobai.minimize(lambda x: quadratic(x, a)[0], np.ones(3), jac=lambda x: quadratic(x, a)[1],
                       hess=lambda x: np.diag(a), method="newton")
    assert r.success and r.nit == 1 and r.nhev == 1  # a quadratic: one Newton step
    f = kobai.expr("(1 - x)^2 + 100*(y - x^2)^2")
    r = kobai.minimize(f, [-1.2, 1.0], method="newton")
    assert r.success and r.nit < 30
    np.testing.assert_allclose(r.x, [1, 1], atol=1e-8)


def test_functions_run_natively_with_the_same_path_as_python():
    f = kobai.problems.rosenbrock(4)
    native = kobai.minimize(f, f.start, method="lbfgs")
    python = kobai.minimize(f.value, f.start, jac=f.gradient, method="lbfgs")
    np.testing.assert_array_equal(native.x, python.x)
    assert native.nit == python.nit
    typed = kobai.minimize(kobai.expr("(1 - x0)^2 + 100*(x1 - x0^2)^2 + (1 - x2)^2 + 100*(x3 - x2^2)^2"),
                           f.start, method="lbfgs")
    np.testing.assert_allclose(typed.x, native.x, atol=1e-12)


def test_first_order_hyperparameters_schedules_and_divergence():
    beale = kobai.problems.beale()
    r = kobai.minimize(beale, [3.0, 4.0], method="adam",
                       options={"lr": 1e-3, "betas": (0.9, 0.8), "maxiter": 100_000})
    np.testing.assert_allclose(r.x, [3, 0.5], atol=1e-3)  # seed 003's run
    assert r.hyperparameters["beta2"] == 0.8
    r = kobai.minimize(kobai.problems.sphere(), [1.0, 1.0], method="gd",
                       options={"lr": 0.4, "schedule": "step:2:0.5", "maxiter": 6, "gtol": 0})
    np.testing.assert_allclose(r.history["lr"][1:], [0.4, 0.4, 0.2, 0.2, 0.1, 0.1])
    r = kobai.minimize(lambda x: float(x @ x), [1.0], jac=lambda x: 2 * x, method="gd", options={"lr": 10.0})
    assert r.kobai_status == "diverged" and r.status == 3 and not r.success
    assert isinstance(r.diverged_at, int) and np.all(np.isfinite(r.x))


def test_callback_sees_each_iterate_and_can_stop():
    seen = []
    r = kobai.minimize(kobai.problems.sphere(), [1.0, 1.0], method="gd", options={"lr": 0.1, "maxiter": 5},
                       callback=lambda xk: seen.append(xk.copy()))
    assert len(seen) == 5 and r.nit == 5
    np.testing.assert_allclose(seen[-1], r.x)
    r = kobai.minimize(lambda x: float(x @ x), [1.0], jac=lambda x: 2 * x, method="gd",
                       callback=lambda xk: xk[0] < 0.5)
    assert r.kobai_status == "stopped" and r.status == 99 and r.x[0] < 0.5

    def stop(xk):
        raise StopIteration

    r = kobai.minimize(kobai.problems.sphere(), [1.0, 1.0], method="bfgs", callback=stop)
    assert r.kobai_status == "stopped" and r.nit == 1


def test_default_method_is_adam_with_torch_defaults():
    """The issue's signature: minimize(fun, x0, jac=None, method="adam", ...)."""
    beale = kobai.problems.beale()
    default = kobai.minimize(beale, [3.0, 4.0], options={"maxiter": 50})
    adam = kobai.minimize(beale, [3.0, 4.0], method="adam", options={"lr": 1e-3, "betas": (0.9, 0.999), "maxiter": 50})
    assert default.method == "adam" and default.nit == 50
    np.testing.assert_array_equal(default.x, adam.x)
    lbfgs = kobai.minimize(beale, [3.0, 4.0], method="lbfgs", options={"maxiter": 50})
    assert not np.array_equal(default.x, lbfgs.x)  # the default is not the line-search method
