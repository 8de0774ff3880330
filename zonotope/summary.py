"""Plain-text summaries of a data set's arrangement and zonotope.

What ``zonotope demo`` and ``zonotope chambers`` print: the chambers (activation
patterns) with their zonotope vertices and degrees, and the edges of the 1-skeleton
with the examples each edge flips.  The functions return strings; printing is the
caller's business.
"""

from __future__ import annotations

import time
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ._validation import as_points
from .arrangement import Arrangement
from .chambers import count_chambers
from .library import figure1_points
from .zonotope import Zonotope

if TYPE_CHECKING:
    from numbers import Real

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["format_number", "zonotope_summary", "demo_summary"]


def format_number(v: Real) -> str:
    """A short text for an exact or float number: ``p/q``, an int, or 6 significant digits.

    Examples
    --------
    >>> format_number(Fraction(3, 4)), format_number(5), format_number(0.1 + 0.2)
    ('3/4', '5', '0.3')
    """
    if isinstance(v, Fraction):
        return f"{v.numerator}/{v.denominator}" if v.denominator != 1 else str(v.numerator)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return f"{float(v):.6g}"


def zonotope_summary(X: ArrayLike, *, max_rows: int | None = None, max_chambers: int = 1_000_000) -> str:
    r"""A table of the chambers, vertices and edges of the zonotope of the data ``X``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact (int/Fraction) data; exact data give exact vertices.
    max_rows : int or None
        List at most this many vertices and edges (``None``: all of them).
    max_chambers : int or None
        Passed to :meth:`Zonotope.from_points`: refuse larger enumerations
        (``None`` disables the check).

    Returns
    -------
    str
        Several lines (no trailing newline): the arrangement, the number of chambers
        (and the sweep count as a check), one row per vertex (index, activation
        pattern, vertex, degree in the 1-skeleton), one row per edge, and the time.

    Raises
    ------
    ValidationError, TooLargeError

    Examples
    --------
    >>> print(zonotope_summary([[0], [1]]).split("\n")[1])
    chambers = activation patterns = zonotope vertices: 4  (sweep count: 4)
    """
    t0 = time.perf_counter()
    X = as_points(X, "X", "zonotope_summary")
    Z = Zonotope.from_points(X, max_chambers=max_chambers)
    A = Arrangement.from_points(X)
    n = Z.n_vertices
    exact = X.dtype == object
    lines = [
        f"data: {X.shape[0]} points in R^{X.shape[1]}  ->  arrangement of {A.n_hyperplanes} "
        f"central hyperplanes in R^{A.dim} (rank {A.rank})",
        f"chambers = activation patterns = zonotope vertices: {n}  "
        f"(sweep count: {count_chambers(A, max_work=None)})",
        "",
        f"  #  pattern  vertex {'(exact)' if exact else '(float)'}                      degree",
    ]
    V = Z.vertices_exact() if exact else Z.vertices
    deg = np.bincount(Z.edges.ravel(), minlength=n) if len(Z.edges) else np.zeros(n, int)
    rows = range(n) if max_rows is None else range(min(n, max_rows))
    for k in rows:
        pat = "".join(str(int(b)) for b in Z.coefficients[k])
        vert = "(" + ", ".join(format_number(v) for v in V[k]) + ")"
        lines.append(f"{k:3d}  {pat:>7}  {vert:<35} {deg[k]:3d}")
    if max_rows is not None and n > max_rows:
        lines.append(f"  ... {n - max_rows} more")
    lines += ["", f"edges of the 1-skeleton: {len(Z.edges)}  (each flips the examples listed)"]
    show = Z.edges if max_rows is None else Z.edges[:max_rows]
    for (a, b), g in zip(show, Z.edge_generators):
        lines.append(f"  {a:3d} -- {b:3d}   flips example(s) {', '.join(map(str, g))}")
    if max_rows is not None and len(Z.edges) > max_rows:
        lines.append(f"  ... {len(Z.edges) - max_rows} more")
    lines += ["", f"(computed exactly in {time.perf_counter() - t0:.3f} s)"]
    return "\n".join(lines)


def demo_summary() -> str:
    """The text of ``zonotope demo``: the built-in 5-point example and its zonotope.

    Returns
    -------
    str

    Examples
    --------
    >>> text = demo_summary()
    >>> text.splitlines()[0]
    'Built-in example: 5 points in R^2 (a stand-in for Figure 1 of Matena & Raffel 2022)'
    >>> "chambers = activation patterns = zonotope vertices: 22" in text
    True
    """
    X = figure1_points()
    head = ["Built-in example: 5 points in R^2 (a stand-in for Figure 1 of Matena & Raffel 2022)"]
    head += [f"  x_{i} = ({x[0]}, {x[1]})" for i, x in enumerate(X.tolist())]
    return "\n".join(head) + "\n\n" + zonotope_summary(X)
