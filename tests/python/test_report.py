"""kobai.report writes the command line's page (kobai::report::write_report) for runs made from
Python. Plotly is replaced by a stub through KOBAI_PLOTLY_JS (as the C++ report tests do), so the
test needs no web assets."""
import numpy as np

import kobai


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
