"""Run every gallery script (``gallery/**/plot_*.py``) headlessly, as sphinx-gallery would.

Each script must have a sphinx-gallery docstring (an RST title underlined with ``=``),
run without error with the Agg backend, produce at least one figure, and finish in
seconds.
"""

from __future__ import annotations

import re
import runpy
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SCRIPTS = sorted(GALLERY.glob("**/plot_*.py"))

#: Wall-clock limit per script (they are meant to take a few seconds).
SECONDS = 30


def test_gallery_is_not_empty():
    assert SCRIPTS, f"no plot_*.py under {GALLERY}"
    assert (GALLERY / "README.txt").exists()
    for sub in {p.parent for p in SCRIPTS}:
        assert (sub / "README.txt").exists(), f"{sub} has no README.txt (sphinx-gallery needs one)"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(GALLERY)))
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
    t0 = time.perf_counter()
    try:
        runpy.run_path(str(script), run_name="__main__")
        shown.extend(plt.get_fignums())
    finally:
        plt.close("all")
    elapsed = time.perf_counter() - t0
    assert shown, f"{script.name} made no figure"
    assert elapsed < SECONDS, f"{script.name} took {elapsed:.1f} s"
