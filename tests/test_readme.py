"""The README's Python snippets run, and the numbers their comments claim are right."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def _blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_snippets():
    assert len(_blocks()) >= 4


def test_readme_snippets_run_and_claims_hold(capsys):
    ns: dict = {}
    for code in _blocks():
        exec(compile(code, str(README), "exec"), ns)
    out = capsys.readouterr().out
    assert "872 872" in out                                    # chamber count claim
    Z = ns["Z"]
    assert (Z.n_vertices, len(Z.edges)) == (22, 40)
    zt = ns["zt"]
    assert zt.count_chambers(zt.Arrangement.from_points(
        [[0, 0], [1, 1], [2, 2], [0, 1], [3, 0], [1, 3]])) == 30
    relu = ns["relu"]
    X, y = ns["X"], ns["y"]
    assert ns["r"].loss < 1e-20
    assert relu.gradient_descent(X, y, n_units=2, rng=0).loss > 1e-3
    assert relu.exact_fit_construction(X, y).n_units == 2 * int(np.ceil(len(X) / 3))
    bias_free = relu.exact_erm(X, y, n_units=2, bias=False, progress=False)
    assert bias_free.W.shape == (2, 2) and not bias_free.bias
    assert bias_free.loss >= ns["r"].loss                     # fewer parameters, no better fit
