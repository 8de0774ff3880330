"""Run every gallery script (``gallery/**/plot_*.py``) headlessly, as sphinx-gallery would.

Each script must have a sphinx-gallery docstring (an RST title underlined with ``=``),
run without error with the Agg backend and produce at least one figure.  Their speed
is not asserted here (a busy machine must not fail the suite); scripts are kept small
by review, and ``bench/`` measures speed.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SCRIPTS = sorted(GALLERY.glob("**/plot_*.py"))
# The paper-figure scripts run real searches (tens of seconds each): `slow` here; the
# docs build (sphinx-gallery, run by .ci/run) executes every script anyway.
LONG = {"relu/plot_figure2_random_vertex.py", "relu/plot_figure3_gls.py"}
PARAMS = [pytest.param(p, marks=pytest.mark.slow) if str(p.relative_to(GALLERY)) in LONG else p
          for p in SCRIPTS]

def test_gallery_is_not_empty():
    assert SCRIPTS, f"no plot_*.py under {GALLERY}"
    assert (GALLERY / "README.txt").exists()
    for sub in {p.parent for p in SCRIPTS}:
        assert (sub / "README.txt").exists(), f"{sub} has no README.txt (sphinx-gallery needs one)"


@pytest.mark.parametrize("script", PARAMS, ids=lambda p: str(p.relative_to(GALLERY)))
def test_gallery_script_runs(script, monkeypatch):
    text = script.read_text(encoding="utf-8")
    doc = re.match(r'\s*(?:r?""")\n(.+)\n(=+)\n', text)
    assert doc and len(doc.group(2)) >= len(doc.group(1).strip()), \
        f"{script.name}: the docstring must start with an RST title underlined with '='"
    shown = []

    def show(*args, **kwargs):
        shown.extend(plt.get_fignums())
        plt.close("all")

    monkeypatch.setattr(plt, "show", show)
    monkeypatch.chdir(script.parent)
    try:
        runpy.run_path(str(script), run_name="__main__")
        shown.extend(plt.get_fignums())
    finally:
        plt.close("all")
    assert shown, f"{script.name} made no figure"
