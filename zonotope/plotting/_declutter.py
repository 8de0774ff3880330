"""Label placement without collisions: move text labels until no two bounding boxes overlap.

Used by :func:`~zonotope.plotting.plot_figure1` after its layout is final.  Titles
(and axis labels and tick labels) stay where they are; every other visible text of
the figure (panel letters, chamber labels, callouts, hyperplane names, point
numbers) is placed in turn, in the order given: kept where it is when it overlaps
nothing placed so far, otherwise moved to the nearest free position on a spiral of
offsets around it, then at a smaller font size; a label that still finds no room is
hidden (the count is returned, and is 0 on the built-in and 8-point examples).
"""

from __future__ import annotations

import numpy as np

__all__ = ["declutter", "text_boxes", "overlapping_pairs"]


def _box(t, renderer, pad=0.0):
    """The box of the letters (and their frame, if any); an annotation's arrow excluded."""
    from matplotlib.text import Text

    bb = Text.get_window_extent(t, renderer)
    x0, y0, x1, y1 = bb.x0, bb.y0, bb.x1, bb.y1
    patch = t.get_bbox_patch()
    if patch is not None:
        t.update_bbox_position_size(renderer)
        pb = patch.get_window_extent(renderer)
        x0, y0, x1, y1 = min(x0, pb.x0), min(y0, pb.y0), max(x1, pb.x1), max(y1, pb.y1)
    return np.array([x0 - pad, y0 - pad, x1 + pad, y1 + pad])


def _hit(b, boxes):
    if not boxes:
        return False
    B = np.asarray(boxes)
    return bool(np.any((B[:, 0] < b[2]) & (b[0] < B[:, 2]) & (B[:, 1] < b[3]) & (b[1] < B[:, 3])))


def _fixed_texts(fig):
    out = []
    for ax in fig.axes:
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label]
        out += [t.label1 for t in ax.xaxis.get_major_ticks() + ax.yaxis.get_major_ticks()]
    return [t for t in out if t.get_visible() and t.get_text()]


def _movable_texts(fig, first=()):
    seen = set(map(id, first))
    out = list(first)
    for ax in fig.axes:
        for t in ax.texts:
            if id(t) not in seen and t.get_visible() and t.get_text():
                out.append(t)
                seen.add(id(t))
    return out


def text_boxes(fig):
    """Display-space boxes ``[x0, y0, x1, y1]`` of every visible text of ``fig`` (drawn)."""
    renderer = fig.canvas.get_renderer()
    texts = _fixed_texts(fig) + _movable_texts(fig)
    return texts, [_box(t, renderer, pad=0.0) for t in texts]


def overlapping_pairs(fig, *, ignore_ticks=True):
    """Pairs of visible texts whose boxes overlap (excluding tick labels by default).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "one"); _ = ax.text(0.5, 0.5, "two")
    >>> fig.canvas.draw(); len(overlapping_pairs(fig))
    1
    >>> _ = declutter(fig); fig.canvas.draw(); len(overlapping_pairs(fig))
    0
    >>> plt.close(fig)
    """
    renderer = fig.canvas.get_renderer()
    ticks = set()
    if ignore_ticks:
        for ax in fig.axes:
            ticks |= {id(t.label1) for t in ax.xaxis.get_major_ticks() + ax.yaxis.get_major_ticks()}
    texts = [t for t in _fixed_texts(fig) + _movable_texts(fig) if id(t) not in ticks]
    boxes = [_box(t, renderer, pad=0.0) for t in texts]
    pairs = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                pairs.append((texts[i], texts[j]))
    return pairs


def _shift(t, dx, dy):
    """Move text ``t`` by (dx, dy) display pixels, in whatever coordinates it uses."""
    from matplotlib.text import Annotation

    if isinstance(t, Annotation):
        trans = t._get_xy_transform(t.figure.canvas.get_renderer(), t.anncoords)
        x, y = t.xyann
    else:
        trans = t.get_transform()
        x, y = t.get_position()
    X, Y = trans.transform((x, y))
    nx, ny = trans.inverted().transform((X + dx, Y + dy))
    if isinstance(t, Annotation):
        t.xyann = (nx, ny)
    else:
        t.set_position((nx, ny))


def declutter(fig, first=(), max_radius=80.0):
    """Move the movable texts of ``fig`` until no two text boxes overlap; returns #hidden.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    first : sequence of Text
        Texts placed first (e.g. the panel letters).
    max_radius : float
        Largest displacement tried, in display pixels.
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed = [_box(t, renderer, pad=0.0) for t in _fixed_texts(fig)]
    angles = np.deg2rad(np.arange(0, 360, 30))
    offsets = [(0.0, 0.0)] + [(r * np.cos(a), r * np.sin(a))
                              for r in np.arange(2.0, max_radius + 1e-9, 2.0) for a in angles]
    W, H = fig.canvas.get_width_height()
    hidden = 0
    for t in _movable_texts(fig, first):
        size0 = t.get_fontsize()
        done = None
        for scale in (1.0, 0.85, 0.72):
            if scale != 1.0:
                t.set_fontsize(size0 * scale)
            b0 = _box(t, renderer)        # a shift moves the box rigidly: measure once
            for dx, dy in offsets:
                b = b0 + np.array([dx, dy, dx, dy])
                inside = b[0] >= 0 and b[1] >= 0 and b[2] <= W and b[3] <= H
                if (inside or (dx == 0 and dy == 0)) and not _hit(b, placed):
                    done = (dx, dy, b)
                    break
            if done:
                break
        if done:
            dx, dy, b = done
            if dx or dy:
                _shift(t, dx, dy)
            placed.append(b)
        else:
            t.set_fontsize(size0)
            t.set_visible(False)
            hidden += 1
    return hidden
