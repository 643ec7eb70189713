"""Every error path: the exception type and a message that names the argument and what it needs."""
import sys
import traceback

import numpy as np
import pytest

import kobai


# ---- optimizer objects: arrays ----------------------------------------------------------------

@pytest.mark.parametrize("param,message", [
    (np.ones(4, np.int64), r"params\[0\] must have dtype float32 or float64 .* got int64"),
    (np.ones(4, np.float16), r"params\[0\] must have dtype float32 or float64 .* got float16"),
    (np.ones(8)[::2], r"params\[0\] must be C-contiguous"),
    (np.ones((3, 4), order="F"), r"params\[0\] must be C-contiguous"),
    ([1.0, 2.0], r"params\[0\] must be a numpy.ndarray of float32 or float64 .* got list"),
])
def test_param_arrays_that_cannot_be_stepped_in_place(param, message):
    with pytest.raises(TypeError, match=message):
        kobai.optim.Adam([param])


def test_read_only_param():
    w = np.ones(4)
    w.setflags(write=False)
    with pytest.raises(TypeError, match=r"params\[0\] must be writeable .* read-only"):
        kobai.optim.SGD([w], lr=0.1)


def test_params_as_one_array_or_none():
    with pytest.raises(TypeError, match="iterable of numpy arrays"):
        kobai.optim.Adam(np.ones(3))
    with pytest.raises(ValueError, match="empty parameter list"):
        kobai.optim.Adam([])


@pytest.mark.parametrize("grad,error,message", [
    (np.ones(4, np.float32), TypeError, r"grads\[0\] must have dtype float64 like params\[0\], got float32"),
    (np.ones(8)[::2], TypeError, r"grads\[0\] must be C-contiguous"),
    (np.ones(5), ValueError, r"grads\[0\] must have shape \(4,\) like params\[0\], got \(5,\)"),
    (np.ones((2, 2)), ValueError, r"grads\[0\] must have shape \(4,\) like params\[0\], got \(2, 2\)"),
    ([1.0] * 4, TypeError, r"grads\[0\] must be a numpy.ndarray of float64"),
])
def test_bad_gradients_leave_params_untouched(grad, error, message):
    w = np.ones(4)
    opt = kobai.optim.Adam([w], lr=0.1)
    with pytest.raises(error, match=message):
        opt.step([grad])
    assert np.all(w == 1)


def test_gradient_count_and_aliasing():
    w, b = np.ones(4), np.ones(2)
    opt = kobai.optim.SGD([w, b], lr=0.1)
    with pytest.raises(ValueError, match=r"one gradient per parameter array \(2\), got 1"):
        opt.step([np.ones(4)])
    with pytest.raises(ValueError, match=r"grads\[0\] must not share memory with params\[0\]"):
        opt.step([w, np.ones(2)])


# ---- hyperparameters: the command line's messages ----------------------------------------------

@pytest.mark.parametrize("make,message", [
    (lambda w: kobai.optim.Adam([w], lr=-0.1), "lr must be > 0, got -0.1"),
    (lambda w: kobai.optim.Adam([w], lr=0), "lr must be > 0, got 0"),
    (lambda w: kobai.optim.Adam([w], betas=(0.9, 1.0)), r"betas\[1\] must be in \[0, 1\), got 1.0"),
    (lambda w: kobai.optim.Adam([w], eps=-1e-8), "eps must be >= 0, got -1e-08"),
    (lambda w: kobai.optim.SGD([w], lr=0.1, momentum=1.5), r"momentum must be in \[0, 1\), got 1.5"),
    (lambda w: kobai.optim.RMSprop([w], alpha=-0.5), r"alpha must be in \[0, 1\], got -0.5"),
    (lambda w: kobai.optim.Adagrad([w], initial_accumulator_value=-1.0),
     "initial_accumulator_value must be >= 0, got -1.0"),
    (lambda w: kobai.optim.Adam([w], betas=0.9), r"betas must be a pair"),
])
def test_bad_hyperparameters(make, message):
    with pytest.raises(ValueError, match=message):
        make(np.ones(3))


def test_lr_set_through_param_groups_is_checked():
    w = np.ones(3)
    opt = kobai.optim.Adam([w])
    opt.param_groups[0]["lr"] = -1.0
    with pytest.raises(ValueError, match="lr must be > 0, got -1"):
        opt.step([np.ones(3)])


@pytest.mark.parametrize("method,options,message", [
    ("adam", {"lr": -0.1}, "lr must be > 0, got -0.1"),
    ("adam", {"rho": 0.9}, "rho does not apply to adam"),
    ("adam", {"foo": 1}, "unknown option 'foo' for adam; it takes lr, beta1, beta2"),
    ("lbfgs", {"memory": 0}, "memory must be > 0, got 0"),
    ("lbfgs", {"lr": 0.1}, "unknown option 'lr' for lbfgs"),
    ("bfgs", {"line_search": "golden"}, "golden"),
    ("nope", {}, "unknown method 'nope'; choose one of gd, momentum"),
    ("adam", {"maxiter": -1}, "max_iterations must be >= 0, got -1"),
    ("adam", {"gtol": -1}, "gradient_tolerance must be >= 0, got -1"),
    ("adam", {"schedule": "cosine:x"}, "cannot read 'x' as a number"),
    ("adam", {"schedule": "step:10:2"}, r"schedule gamma must be in \[0, 1\], got 2"),
    ("adam", {"schedule": "sawtooth"}, "unknown schedule 'sawtooth'"),
])
def test_bad_minimize_options(method, options, message):
    with pytest.raises(ValueError, match=message):
        kobai.minimize(kobai.problems.sphere(), [1.0, 2.0], method=method, options=options)


def test_bad_points_and_functions():
    with pytest.raises(ValueError, match=r"x0 must have shape \(2,\), got shape \(3,\)"):
        kobai.minimize(kobai.problems.beale(), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"x0 must have shape \(n,\), got shape \(2, 2\)"):
        kobai.minimize(lambda x: 0.0, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"start point\[1\] must be a finite number, got nan"):
        kobai.minimize(lambda x: 0.0, [1.0, np.nan])
    with pytest.raises(TypeError, match="fun must be a real number, got str"):
        kobai.minimize(lambda x: "one", [1.0])
    with pytest.raises(ValueError, match=r"jac must have shape \(2,\), got shape \(3,\)"):
        kobai.minimize(lambda x: 0.0, [1.0, 2.0], jac=lambda x: np.ones(3))
    with pytest.raises(TypeError, match=r"with jac=True, fun must return a tuple \(value, gradient\), got float"):
        kobai.minimize(lambda x: 0.0, [1.0], jac=True)
    with pytest.raises(ValueError, match="jac must be a callable, True"):
        kobai.minimize(lambda x: 0.0, [1.0], jac="3-point")
    with pytest.raises(TypeError, match="fun must be callable or a kobai.Function, got int"):
        kobai.minimize(3, [1.0])
    with pytest.raises(ValueError, match="unconstrained: bounds"):
        kobai.scipy_method("lbfgs")(lambda x: 0.0, [1.0], bounds=[(0, 1)])
    with pytest.raises(ValueError, match="unknown method 'lbfgsb'"):
        kobai.scipy_method("lbfgsb")


def test_bad_expressions_and_problems():
    with pytest.raises(ValueError, match="expected"):
        kobai.expr("sin(x + 1")
    with pytest.raises(ValueError, match="unknown problem 'bael'"):
        kobai.problems.make("bael")
    with pytest.raises(ValueError, match="rosenbrock needs an even dimension, got 3"):
        kobai.problems.rosenbrock(3)


def test_a_report_without_a_function_or_with_a_bad_path(tmp_path):
    with pytest.raises(TypeError, match="a report needs a kobai.Function"):
        kobai.report.run(lambda x: 0.0, [1.0], path=tmp_path / "r.html")
    with pytest.raises(ValueError, match="path must end in .html"):
        kobai.report.run(kobai.problems.beale(), [1.0, 1.0], path=tmp_path / "r.txt")
    with pytest.raises(ValueError, match="does not exist"):
        kobai.report.run(kobai.problems.beale(), [1.0, 1.0], path=tmp_path / "missing" / "r.html")


# ---- exceptions raised by the user's code propagate unchanged ----------------------------------

class Boom(Exception):
    pass


def exploding_fun(x):
    if x[0] < 0.5:
        raise Boom(f"at {x[0]:.3f}")
    return float(x @ x)


def test_exception_in_fun_propagates_with_its_traceback():
    with pytest.raises(Boom, match="at 0.") as info:
        kobai.minimize(exploding_fun, [1.0, 1.0], jac=lambda x: 2 * x, method="gd", options={"lr": 0.1})
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "exploding_fun" in frames


@pytest.mark.parametrize("method", ["adam", "lbfgs", "newton", "cg"])
def test_exception_in_jac_hess_and_callback(method):
    def jac(x):
        raise KeyError("jac")

    with pytest.raises(KeyError, match="jac"):
        kobai.minimize(lambda x: float(x @ x), [1.0, 2.0], jac=jac, method=method)
    with pytest.raises(ZeroDivisionError):
        kobai.minimize(lambda x: float(x @ x), [1.0, 2.0], jac=lambda x: 2 * x, method="newton",
                       hess=lambda x: 1 / 0)

    def callback(xk):
        raise RuntimeError("callback")

    with pytest.raises(RuntimeError, match="callback"):  # native run: the GIL is taken back for it
        kobai.minimize(kobai.problems.sphere(), [1.0, 2.0], method=method, callback=callback)
