"""Figure 1 labels never collide (text bounding boxes), at 8 points and for 3-D data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from zonotope import Zonotope  # noqa: E402
from zonotope.plotting import plot_figure1  # noqa: E402
from zonotope.plotting._declutter import overlapping_pairs  # noqa: E402

X8 = [[-2, -1], [1, -2], [2, 1], [0, 2], [-1, 0], [1, 1], [-2, 2], [2, -1]]


def _boxes_ok(fig):
    fig.canvas.draw()
    pairs = overlapping_pairs(fig)
    hidden = [t.get_text() for ax in fig.axes for t in ax.texts if not t.get_visible()]
    W, H = fig.canvas.get_width_height()
    r = fig.canvas.get_renderer()
    outside = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()
               and (lambda b: b.x0 < -1 or b.y0 < -1 or b.x1 > W + 1 or b.y1 > H + 1)(
                   t.get_window_extent(r))]
    return [(a.get_text(), b.get_text()) for a, b in pairs], hidden, outside


@pytest.mark.parametrize("view", ["slice", "both"])
def test_figure1_with_8_points_has_no_overlapping_labels(view):
    fig = plot_figure1(X8, view=view)
    pairs, hidden, outside = _boxes_ok(fig)
    assert pairs == [] and hidden == [] and outside == []
    letters = [t for ax in fig.axes for t in ax.texts if t.get_text() in ("(a)", "(b)", "(c)", "(d)")]
    assert len(letters) == (4 if view == "both" else 3)
    plt.close(fig)


def test_figure1_without_decluttering_is_what_the_check_catches():
    fig = plot_figure1(X8, view="both", declutter_labels=False)
    fig.canvas.draw()
    assert len(overlapping_pairs(fig)) >= 1          # the test above is not vacuous
    plt.close(fig)


def test_figure1_for_3d_data_is_the_bias_free_unit():
    X = np.random.default_rng(1).integers(-3, 4, (6, 3))
    fig = plot_figure1(X)
    Z = Zonotope(X.tolist())
    assert len(fig.axes) == 3 and f"{Z.n_vertices} chambers" in fig.axes[1].get_title()
    assert f"{Z.n_vertices} vertices" in fig.axes[2].get_title()
    pairs, hidden, outside = _boxes_ok(fig)
    assert pairs == [] and hidden == []
    plt.close(fig)
