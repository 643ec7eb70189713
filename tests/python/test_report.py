"""kobai.report writes the command line's page (kobai::report::write_report) for runs made from
Python. Plotly is replaced by a stub through KOBAI_PLOTLY_JS (as the C++ report tests do); the
page's own script, styles and engine are the build's (report/web_assets.hpp), so a build without
them (KOBAI_WEB_FILES=0, set by tests/python.cmake) skips these tests."""
import os
import re
import subprocess

import numpy as np
import pytest

import kobai

pytestmark = pytest.mark.skipif(os.environ.get("KOBAI_WEB_FILES") == "0",
                                reason="this build has no web files for the pages (Emscripten or web/node_modules missing)")


def stub_plotly(tmp_path, monkeypatch):
    for variable in ("KOBAI_PLOTLY_JS", "KOBAI_PLOTLY_3D_JS"):
        path = tmp_path / f"{variable}.js"
        path.write_text("window.Plotly = {stub: true};")
        monkeypatch.setenv(variable, str(path))


def test_run_page(tmp_path, monkeypatch):
    stub_plotly(tmp_path, monkeypatch)
    page = tmp_path / "adam.html"
    r = kobai.report.run(kobai.problems.beale(), [3, 4], "adam", {"lr": 0.1, "maxiter": 200}, path=page)
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>") and "window.Plotly = {stub: true};" in html
    assert "adam on beale" in html
    assert "kobai.minimize(kobai.problems.beale(), [3.0, 4.0], method=&#39;adam&#39;" in html or \
           "kobai.minimize(kobai.problems.beale(), [3.0, 4.0], method='adam'" in html
    direct = kobai.minimize(kobai.problems.beale(), [3, 4], method="adam", options={"lr": 0.1, "maxiter": 200})
    np.testing.assert_array_equal(r.x, direct.x)


def test_compare_page(tmp_path, monkeypatch):
    stub_plotly(tmp_path, monkeypatch)
    page = tmp_path / "compare.html"
    results = kobai.report.compare(kobai.expr("(x^2 + y - 11)^2 + (x + y^2 - 7)^2"), [0, 0],
                                   {"gd": {"lr": 0.005}, "adam": {"lr": 0.1}, "lbfgs": {}},
                                   options={"maxiter": 300}, path=page)
    assert [r.method for r in results] == ["gd", "adam", "lbfgs"]
    html = page.read_text()
    assert "kobai compare: gd,adam,lbfgs" in html
    assert not list(tmp_path.glob("*.tmp*"))  # written atomically


def normalized(html, command):
    """The page with the run's reproducing command (the one thing that differs) taken out."""
    assert command in html
    return html.replace(command, "COMMAND")


@pytest.mark.skipif(not os.environ.get("KOBAI_EXE"), reason="the kobai command is not built")
@pytest.mark.parametrize("method,options,flags", [
    ("adam", {"lr": 0.1, "maxiter": 200}, ["--lr", "0.1"]),
    ("lbfgs", {"maxiter": 50}, []),
])
def test_the_same_page_as_the_command_line(tmp_path, monkeypatch, method, options, flags):
    stub_plotly(tmp_path, monkeypatch)
    cli_page, python_page = tmp_path / "cli.html", tmp_path / "python.html"
    iterations = str(options["maxiter"])
    subprocess.run([os.environ["KOBAI_EXE"], "run", "--function", "beale", "--optimizer", method, *flags,
                    "--start", "3,4", "--iterations", iterations, "--report", str(cli_page)],
                   check=True, capture_output=True)
    kobai.report.run(kobai.problems.beale(), [3, 4], method, options, path=python_page)
    cli_html, python_html = cli_page.read_text(), python_page.read_text()
    cli_command = re.search(r"kobai run --function beale[^<\"]*", cli_html).group(0)
    python_command = re.search(r"kobai\.minimize\(kobai\.problems\.beale\(\)[^<\"]*", python_html).group(0)
    assert normalized(cli_html, cli_command) == normalized(python_html, python_command)
