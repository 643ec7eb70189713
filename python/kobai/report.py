"""HTML reports from Python: the pages `kobai run --report` and `kobai compare --report` write.

    kobai.report.run(kobai.problems.beale(), [3, 4], "adam", {"lr": 0.1, "maxiter": 300},
                     path="adam.html")
    kobai.report.compare(kobai.problems.beale(), [1, 1.5],
                         {"gd": {"lr": 0.005}, "momentum": {"lr": 0.005}, "adam": {"lr": 0.1}},
                         options={"maxiter": 300}, path="beale.html")

The function must be a Function (kobai.expr(...) or a kobai.problems one): the page draws its
contours and surface from native evaluations. Each run's panel shows the Python call that
reproduces it. Both return the runs' results (OptimizeResult, as kobai.minimize returns).
Plotly is embedded from the checkout's web/node_modules (scripts/install-deps.sh), from a copy
installed with the package, or from the path in KOBAI_PLOTLY_JS / KOBAI_PLOTLY_3D_JS.
"""
import os

from . import _kobai
from ._minimize import _result, _split_options

__all__ = ["run", "compare"]

_ASSETS = os.path.join(os.path.dirname(__file__), "assets")


def _bundle(file_name, variable):
    """Plotly from the package's own copy, when it has one and the environment names none."""
    path = os.path.join(_ASSETS, file_name)
    if not os.environ.get(variable) and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return f.read()
    return None


def _check(function, path):
    if not isinstance(function, _kobai.Function):
        raise TypeError("a report needs a kobai.Function (kobai.expr(...) or kobai.problems.*()), got "
                        f"{type(function).__name__}")
    path = os.fspath(path)
    if not path.endswith((".html", ".htm")):
        raise ValueError(f"path must end in .html, got {path!r}")
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise ValueError(f"path: directory {directory!r} does not exist")
    return path


def _call_text(function, x0, method, options):
    if function.name == "expr":
        f = f"kobai.expr({function.formula!r})"
    else:
        f = f"kobai.problems.{function.name}({function.dimension if function.dimension != len(function.start) else ''})"
    x = "[" + ", ".join(repr(float(v)) for v in x0) + "]"
    return f"kobai.minimize({f}, {x}, method={method!r}, options={options!r})"


def _write(function, x0, runs, options, path, title, layout, text, gradient_field, surface):
    path = _check(function, path)
    x0 = [float(v) for v in x0]
    common_settings, stopping = _split_options(options)
    specs = []
    for label, method, method_options in runs:
        merged = dict(options or {})
        merged.update(method_options or {})
        settings, _ = _split_options(merged)
        specs.append((label, method, settings, _call_text(function, x0, method, merged)))
    raw = _kobai.write_report(path, title, function, x0, specs, stopping, layout, text, gradient_field, surface,
                              _bundle("plotly-cartesian.min.js", "KOBAI_PLOTLY_JS"),
                              _bundle("plotly-gl3d.min.js", "KOBAI_PLOTLY_3D_JS"))
    return [_result(r) for r in raw]


def run(function, x0, method="gd", options=None, *, path, title=None, gradient_field=False, surface=True):
    """One run, one page (as `kobai run ... --report PATH`). Returns its OptimizeResult."""
    _check(function, path)
    title = title or f"{method} on {function.name if function.name != 'expr' else 'f = ' + function.formula}"
    results = _write(function, x0, [(method, method, {})], options, path, title, "single",
                     "", gradient_field, surface)  # "": the command line's sentence on how it ended
    return results[0]


def compare(function, x0, methods, options=None, *, path, title=None, gradient_field=False, surface=True):
    """Several methods from one start on one map with one slider (as `kobai compare ... --report`).

    methods: a list of names, or a dict name → that method's own options (hyperparameters);
    options: what every run shares (maxiter, gtol, ..., or a hyperparameter for all).
    Returns the runs' OptimizeResults, in order.
    """
    _check(function, path)
    if isinstance(methods, dict):
        runs = [(name, name, own) for name, own in methods.items()]
    else:
        runs = [(name, name, {}) for name in methods]
    if not runs:
        raise ValueError("methods must name at least one method")
    title = title or f"kobai compare: {','.join(r[0] for r in runs)} on {function.name}"
    x_text = "(" + ", ".join(f"{float(v):g}" for v in x0) + ")"
    text = (f"Every optimizer starts at {x_text} and runs with the same stopping rules; the slider moves all "
            "of them through the same iterations, and the table says how each ended.")
    return _write(function, x0, runs, options, path, title, "compare", text, gradient_field, surface)
