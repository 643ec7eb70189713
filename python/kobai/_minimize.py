"""kobai.minimize in SciPy's shape, and kobai's methods as SciPy method callables.

The loop runs in C++ (kobai::minimize). Two paths:
  - fun is a Function (kobai.expr, kobai.problems): the run is native from start to end, without
    the GIL;
  - fun is a Python callable: kobai calls it (and jac, hess) for every evaluation, the way SciPy
    does, with a fresh float64 copy of the iterate.
The options dict takes SciPy's stopping names (maxiter, gtol, ftol, xtol) or kobai's
(max_iterations, gradient_tolerance, value_tolerance, step_tolerance), kobai's others
(divergence_bound, schedule, history, history_x, history_stride, history_max_rows), and the method's
hyperparameters in PyTorch's names (lr, momentum, betas or beta1/beta2, eps, weight_decay, ...;
line_search, memory, hessian for the line-search methods). Anything else is a ValueError naming it.
"""
import numpy as np

from . import _kobai

# SciPy's and kobai's names for the loop's options → kobai's.
_STOPPING = {
    "maxiter": "max_iterations", "max_iterations": "max_iterations",
    "gtol": "gradient_tolerance", "gradient_tolerance": "gradient_tolerance", "tol": "gradient_tolerance",
    "ftol": "value_tolerance", "value_tolerance": "value_tolerance",
    "xtol": "step_tolerance", "step_tolerance": "step_tolerance",
    "divergence_bound": "divergence_bound",
    "schedule": "schedule",
    "history": "record_history", "record_history": "record_history",
    "history_stride": "history_stride", "history_max_rows": "history_max_rows",
    "history_x": "history_x", "return_all": "history_x",
}
# SciPy options that only change what SciPy prints or keeps; kobai prints nothing.
_IGNORED = {"disp"}

# kobai's status → SciPy's status code (0 success, 1 iteration limit, 2 line search, 99 callback).
_STATUS_CODES = {"converged": 0, "iteration_limit": 1, "line_search_failed": 2, "diverged": 3, "stopped": 99}


class OptimizeResult(dict):
    """What minimize returns: a dict with attribute access, like scipy.optimize.OptimizeResult.

    SciPy's fields: x, fun, jac, nit, nfev, njev, (nhev), status, success, message.
    kobai's: history (dict of NumPy arrays: iteration, fun, gradient_max_abs, gradient_norm, lr, and x,
    the iterates, when kept: by default for n <= 1000, else with options={"history_x": True}),
    diverged_at (the iteration whose iterate blew up, or None), kobai_status ("converged",
    "iteration_limit", "diverged", "stopped", "line_search_failed"), method, hyperparameters.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e

    __setattr__ = dict.__setitem__
    __delattr__ = dict.__delitem__

    def __repr__(self):
        keys = [k for k in self if k != "history"]
        width = max(map(len, keys), default=0) + 1
        return "\n".join(f"{k.rjust(width)}: {self[k]!r}" for k in keys)

    def __dir__(self):
        return list(self.keys())

    def as_dict(self):
        """A plain dict of NumPy arrays and numbers (no kobai or SciPy types), for plotting elsewhere."""
        out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in self.items()}
        return out


def methods():
    """Every method name minimize accepts."""
    return list(_kobai.method_names())


def _parse_schedule(text):
    """The command line's schedule syntax: step:SIZE:GAMMA | exponential:GAMMA |
    inverse-time:DECAY | cosine:PERIOD[:MIN] | constant."""
    parts = text.split(":")
    kind = parts[0].replace("-", "_")
    forms = {"constant": ([], 0), "step": (["step_size", "gamma"], 2), "exponential": (["gamma"], 1),
             "inverse_time": (["decay"], 1), "cosine": (["period", "min_lr"], 1)}
    if kind not in forms:
        raise ValueError(f"schedule: unknown schedule {parts[0]!r}; expected step, exponential, "
                         "inverse-time, cosine or constant")
    names, required = forms[kind]
    values = parts[1:]
    if not required <= len(values) <= len(names):
        raise ValueError(f"schedule {text!r}: expected {kind}" + "".join(f":{n.upper()}" for n in names))
    spec = {"kind": kind}
    for name, value in zip(names, values):
        try:
            spec[name] = int(value) if name in ("step_size", "period") else float(value)
        except ValueError:
            raise ValueError(f"schedule {text!r}: cannot read {value!r} as a number") from None
    return spec


def _split_options(options):
    """options → (method settings, loop options) in kobai's names."""
    settings, stopping = {}, {}
    for key, value in (options or {}).items():
        if key in _IGNORED:
            continue
        if key in _STOPPING:
            name = _STOPPING[key]
            if name == "schedule" and isinstance(value, str):
                value = _parse_schedule(value)
            stopping[name] = value
        elif key == "betas":
            try:
                settings["beta1"], settings["beta2"] = value
            except (TypeError, ValueError):
                raise ValueError(f"betas must be a pair (beta1, beta2), got {value!r}") from None
        else:
            settings[key] = value
    return settings, stopping


def _result(raw):
    r = OptimizeResult(raw)
    r["kobai_status"] = r.pop("status_name")
    r["status"] = _STATUS_CODES[r["kobai_status"]]
    r["success"] = r["kobai_status"] == "converged"
    r["history"] = dict(r["history"])
    return r


def _gradient_mode(jac):
    if callable(jac):
        return "callable"
    if jac is True:
        return "with_value"
    if jac is None or jac is False or jac == "numerical":
        return "numerical"
    raise ValueError(f"jac must be a callable, True (fun returns (value, gradient)), 'numerical' or None, "
                     f"got {jac!r}")


def minimize(fun, x0, args=(), jac=None, method="adam", hess=None, options=None, callback=None, tol=None):
    """Minimizes fun from x0 with one of kobai's methods; SciPy's signature and result fields.

    fun       a Python callable fun(x, *args) -> float (or (float, gradient) with jac=True),
              or a Function (kobai.expr(...), kobai.problems.*()), which runs natively
    jac       a callable jac(x, *args) -> gradient; True; "numerical" or None (kobai's central
              difference); ignored for a Function (its gradient is exact)
    method    "adam" (the default, with torch.optim.Adam's defaults: lr 1e-3, betas (0.9, 0.999)), or
              gd, momentum, nesterov, adagrad, adadelta, rmsprop, adamw, amsgrad, adamax, nadam
              (first order: their hyperparameters and a schedule in options), newton (hess=, or a
              Function's exact Hessian, else numerical), bfgs, lbfgs, cg
    options   maxiter/max_iterations (1000), gtol/gradient_tolerance (1e-8; kobai's rule
              max|g| < gtol), ftol/value_tolerance, xtol/step_tolerance, divergence_bound,
              schedule ("cosine:1000:1e-4" or {"kind": "cosine", "period": 1000}), history (True),
              history_x (keep the iterates in history["x"]; default: only when n <= 1000; SciPy's
              return_all is the same), and the method's hyperparameters (lr, betas, ...)
    callback  callback(xk) after every iteration; returning True or raising StopIteration stops
    tol       gradient tolerance, as SciPy's tol
    Exceptions raised in fun, jac, hess or callback propagate unchanged.
    """
    settings, stopping = _split_options(options)
    if tol is not None:
        stopping.setdefault("gradient_tolerance", tol)
    if not isinstance(method, str):
        raise TypeError(f"method must be a method name (one of {', '.join(methods())}), got {method!r}")
    method = method.lower()
    if not isinstance(args, tuple):
        args = (args,)
    if isinstance(fun, _kobai.Function) and not callable(jac) and hess is None and not args:
        return _result(_kobai.minimize_function(fun, x0, method, settings, stopping, callback))
    if isinstance(fun, _kobai.Function):
        if jac is None or jac is True:
            jac = fun.gradient
        fun = fun.value
    if not callable(fun):
        raise TypeError(f"fun must be callable or a kobai.Function, got {type(fun).__name__}")
    if hess is not None and not callable(hess):
        raise TypeError(f"hess must be a callable hess(x, *args) -> (n, n) array, got {hess!r}")
    mode = _gradient_mode(jac)
    return _result(_kobai.minimize_python(fun, jac if mode == "callable" else None, mode, hess, args,
                                          np.asarray(x0, dtype=float), method, settings, stopping,
                                          callback))


def scipy_method(name, **fixed_options):
    """kobai's method `name` as a callable for scipy.optimize.minimize(method=...).

        scipy.optimize.minimize(fun, x0, jac=grad, method=kobai.scipy_method("lbfgs"))
        scipy.optimize.minimize(fun, x0, jac=grad, method=kobai.scipy_method("adam", lr=0.01),
                                options={"maxiter": 5000})

    The result is a scipy.optimize.OptimizeResult with SciPy's fields and kobai's. Bounds and
    constraints are refused (kobai's methods are unconstrained).
    """
    name = str(name).lower()
    if name not in methods():
        raise ValueError(f"unknown method {name!r}; choose one of {', '.join(methods())}")

    def kobai_method(fun, x0, args=(), jac=None, hess=None, hessp=None, bounds=None, constraints=(),
                     callback=None, **options):
        if bounds is not None:
            raise ValueError(f"kobai's {name} is unconstrained: bounds are not supported")
        if constraints is not None and len(constraints) > 0:
            raise ValueError(f"kobai's {name} is unconstrained: constraints are not supported")
        if hessp is not None and hess is None:
            raise ValueError(f"kobai's {name} takes hess=, not hessp=")
        merged = dict(fixed_options)
        merged.update(options)
        r = minimize(fun, x0, args=args, jac=jac, method=name, hess=hess, options=merged, callback=callback)
        from scipy.optimize import OptimizeResult as ScipyResult
        return ScipyResult(r)

    kobai_method.__name__ = f"kobai_{name}"
    kobai_method.__doc__ = f"kobai's {name} in scipy.optimize.minimize's method= form."
    return kobai_method
