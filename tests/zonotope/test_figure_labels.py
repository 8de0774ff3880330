"""Figure 1 labels never collide (text bounding boxes), at 8 points and for 3-D data."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from zonotope import Zonotope  # noqa: E402
from zonotope.plotting import plot_figure1  # noqa: E402


def overlapping_pairs(fig):
    """Pairs of visible non-tick texts whose boxes overlap (letters and frames, no arrows)."""
    from matplotlib.text import Text

    r = fig.canvas.get_renderer()
    ticks = {id(t.label1) for ax in fig.axes for t in ax.xaxis.get_major_ticks()
             + ax.yaxis.get_major_ticks()}
    texts = [t for ax in fig.axes for t in [ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
             if t.get_visible() and t.get_text() and id(t) not in ticks]
    boxes = []
    for t in texts:
        b = Text.get_window_extent(t, r)
        x0, y0, x1, y1 = b.x0, b.y0, b.x1, b.y1
        if t.get_bbox_patch() is not None:
            t.update_bbox_position_size(r)
            pb = t.get_bbox_patch().get_window_extent(r)
            x0, y0, x1, y1 = min(x0, pb.x0), min(y0, pb.y0), max(x1, pb.x1), max(y1, pb.y1)
        boxes.append((x0, y0, x1, y1))
    return [(texts[i], texts[j]) for i in range(len(texts)) for j in range(i + 1, len(texts))
            if boxes[i][0] < boxes[j][2] and boxes[j][0] < boxes[i][2]
            and boxes[i][1] < boxes[j][3] and boxes[j][1] < boxes[i][3]]

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
    fig = plot_figure1(X, bias=False)
    Z = Zonotope(X.tolist())
    assert len(fig.axes) == 3 and f"{Z.n_vertices} chambers" in fig.axes[1].get_title()
    assert f"{Z.n_vertices} vertices" in fig.axes[2].get_title()
    pairs, hidden, outside = _boxes_ok(fig)
    assert pairs == [] and hidden == []
    plt.close(fig)


def test_figure1_for_3d_data_with_bias_has_no_overlapping_labels():
    X = np.random.default_rng(1).integers(-3, 4, (5, 3))
    fig = plot_figure1(X)
    Z = Zonotope.from_points(X.tolist())
    assert len(fig.axes) == 4 and f"{Z.n_vertices} vertices" in fig.axes[1].get_title()
    pairs, hidden, outside = _boxes_ok(fig)
    assert pairs == []
    plt.close(fig)
