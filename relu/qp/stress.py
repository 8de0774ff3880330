r"""Random per-vertex subproblems that stress the QP engines (issue 10, section 2).

:func:`stress_problems` draws data sets of four kinds, a quarter each:

* ``"generic"`` -- Gaussian points;
* ``"near_duplicates"`` -- clusters of points at relative distance ``1e-9 .. 1e-5``
  (some exact duplicates), so that chambers separating them are thin;
* ``"scaled"`` -- every feature multiplied by a factor drawn log-uniformly from
  ``scale_range`` (default ``1e-6 .. 1e6``), the targets by ``1e-3 .. 1e3``;
* ``"low_rank"`` -- points near an affine subspace of lower dimension (noise
  ``1e-8 .. 1e-4``).

Each problem carries a vertex (one chamber per unit) drawn from random first-layer
weights whose hyperplanes pass through the data, and half of them also a
*neighbouring* vertex (``base_patterns``): the chamber of one unit on the other side
of its nearest hyperplane, the move a local search makes.  A warm-start test solves
``base_patterns`` first and starts ``patterns`` from that solution.  Both patterns
are realised by an explicit weight whose signs are decided exactly, so they are
chambers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_rng

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["StressProblem", "stress_problems", "STRESS_KINDS"]

#: The kinds of data drawn by :func:`stress_problems`, in the order they cycle.
STRESS_KINDS = ("generic", "near_duplicates", "scaled", "low_rank")


@dataclass(frozen=True, eq=False)
class StressProblem:
    """One random subproblem: data, second layer and one (or two neighbouring) vertices.

    Attributes
    ----------
    kind : str
        One of :data:`STRESS_KINDS`.
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
    second_layer : ndarray, shape (n_units + 1,)
    patterns : ndarray of uint8, shape (n_units, n_samples)
        The vertex to solve at.
    base_patterns : ndarray of uint8, shape (n_units, n_samples), or None
        A neighbouring vertex to solve first and warm-start from (None: a cold solve).
    bias : bool
        Whether the hidden units have a bias (the patterns are chambers of
        ``Arrangement.from_points(X, homogenize=bias)``).
    ridge : float

    Examples
    --------
    >>> p = stress_problems(1, rng=0)[0]
    >>> p.kind, p.patterns.shape == (p.second_layer.size - 1, p.X.shape[0])
    ('generic', True)
    """

    kind: str
    X: np.ndarray
    y: np.ndarray
    second_layer: np.ndarray
    patterns: np.ndarray
    base_patterns: np.ndarray | None
    bias: bool = True
    ridge: float = 0.0

    @property
    def warm(self) -> bool:
        """Whether the problem is a warm start from ``base_patterns``."""
        return self.base_patterns is not None

    def __repr__(self):
        n_units, N = self.patterns.shape
        return (f"StressProblem({self.kind!r}, n_features={self.X.shape[1]}, n_units={n_units}, "
                f"n_samples={N}, warm={self.warm}, bias={self.bias})")


def _data(kind, N, d, gen, scale_range):
    X = gen.standard_normal((N, d))
    yscale = 1.0
    if kind == "near_duplicates":
        k = max(1, N // 3)
        centres = gen.standard_normal((k, d))
        owner = np.r_[np.arange(k), gen.integers(0, k, N - k)]
        gen.shuffle(owner)
        rel = 10.0 ** gen.uniform(-9, -5, N)
        rel[gen.random(N) < 0.2] = 0.0                       # exact duplicates
        X = centres[owner] + rel[:, None] * gen.standard_normal((N, d))
    elif kind == "scaled":
        lo, hi = np.log10(scale_range[0]), np.log10(scale_range[1])
        X = X * 10.0 ** gen.uniform(lo, hi, d)
        yscale = 10.0 ** gen.uniform(-3, 3)
    elif kind == "low_rank":
        r = int(gen.integers(0, d)) if d > 1 else 0
        base = gen.standard_normal(d)
        X = base + gen.standard_normal((N, r)) @ gen.standard_normal((r, d)) \
            + 10.0 ** gen.uniform(-8, -4) * gen.standard_normal((N, d))
    return X, yscale


def _weights(X, n_units, gen, bias):
    """Random weights whose hyperplanes pass between data points (in data units)."""
    d = X.shape[1]
    scale = np.std(X, axis=0) + np.abs(X).max(axis=0) * 1e-3
    scale = np.where(scale > 0, scale, 1.0)
    W = gen.standard_normal((n_units, d)) / scale
    if not bias:
        return W
    b = np.empty(n_units)
    for j in range(n_units):
        z = X @ W[j]
        i = gen.integers(0, X.shape[0])
        # through the midpoint of a data value and its successor (or just past one)
        zs = np.sort(z)
        k = np.searchsorted(zs, z[i])
        nxt = zs[min(k + 1, zs.size - 1)]
        b[j] = -(z[i] + nxt) / 2 if nxt > z[i] else -z[i] + 1e-3 * (abs(z[i]) + 1.0)
    return np.c_[W, b]


def _neighbour(arr, W, signs, gen):
    """Signs of the chamber across the nearest hyperplane of one random unit (or None)."""
    F = np.asarray(arr.normals, dtype=np.float64)
    norms = np.linalg.norm(F, axis=1)
    for j in gen.permutation(W.shape[0]):
        dist = np.abs(F @ W[j]) / norms
        order = np.argsort(dist)
        i = order[0]
        gap = dist[order[np.searchsorted(dist[order], dist[i], side="right")]] \
            if np.any(dist > dist[i]) else np.inf
        step = dist[i] + min(0.5 * (gap - dist[i]), dist[i])
        w2 = W[j] - np.sign(F[i] @ W[j]) * step * F[i] / norms[i]
        s2 = arr.sign_vectors(w2[None])[0]
        if np.all(s2 != 0) and np.any(s2 != signs[j]):
            out = signs.copy()
            out[j] = s2
            return out
    return None


def stress_problems(n_problems: int, *, rng: int | np.random.Generator | None = None, max_features: int = 5,
                    max_units: int = 6, max_samples: int = 90, scale_range: tuple[float, float] = (1e-6, 1e6),
                    kinds: Sequence[str] = STRESS_KINDS, warm_fraction: float = 0.5, bias: bool = True,
                    ridge: float = 0.0) -> list[StressProblem]:
    """Draw random, partly ill-conditioned, subproblems (see the module docstring).

    Parameters
    ----------
    n_problems : int
    rng : int, numpy.random.Generator or None
    max_features, max_units, max_samples : int
        Upper bounds of ``d``, ``n_units`` and ``N`` (drawn uniformly; ``N >= d + 2``).
    scale_range : (float, float)
        Range of the feature scales of the ``"scaled"`` kind.
    kinds : sequence of str
        Kinds to cycle through (problem ``k`` has kind ``kinds[k % len(kinds)]``).
    warm_fraction : float
        Fraction of problems (every other one for 0.5) that come with a neighbouring
        ``base_patterns`` to warm-start from.
    bias : bool
        Units with a bias (chambers of the homogenised points) or without.
    ridge : float

    Returns
    -------
    list of StressProblem

    Examples
    --------
    >>> ps = stress_problems(8, rng=1)
    >>> [p.kind for p in ps[:4]]
    ['generic', 'near_duplicates', 'scaled', 'low_rank']
    >>> sum(p.warm for p in ps)
    4
    """
    from zonotope import Arrangement

    gen = check_rng(rng)
    out = []
    k = 0
    while len(out) < n_problems:
        kind = kinds[len(out) % len(kinds)]
        k += 1
        d = int(gen.integers(1, max_features + 1))
        n_units = int(gen.integers(1, max_units + 1))
        N = int(gen.integers(min(d + 2, max_samples), max_samples + 1))
        X, yscale = _data(kind, N, d, gen, scale_range)
        if not bias and gen.random() < 0.25:
            X[gen.integers(0, N, 1 + N // 10)] = 0.0        # zero points: no hyperplane
        arr = Arrangement.from_points(X[np.any(X != 0, axis=1)] if not bias else X,
                                      homogenize=bias)
        W = _weights(X, n_units, gen, bias)
        Wt = _weights(X, 3, gen, bias)                      # a teacher network
        Xh = np.c_[X, np.ones(N)] if bias else X
        y = np.maximum(Xh @ Wt.T, 0.0) @ gen.standard_normal(3) \
            + 0.1 * np.std(Xh @ Wt[0]) * gen.standard_normal(N)
        y = yscale * (y / max(np.std(y), 1e-300))
        s = arr.sign_vectors(W)
        if np.any(s == 0):
            continue
        weights = np.where(gen.random(n_units) < 0.5, 1.0, -1.0) * 10.0 ** gen.uniform(-1, 1, n_units)
        weights[gen.random(n_units) < 0.1] = 0.0
        second = np.r_[weights, gen.standard_normal() * np.std(y)]
        warm = len(out) % 2 == 1 if warm_fraction == 0.5 else gen.random() < warm_fraction
        base = None
        if warm:
            s2 = _neighbour(arr, W, s, gen)
            if s2 is None:
                continue
            base, s = s, s2
        pat = _full_pattern(s, X, bias)
        bpat = None if base is None else _full_pattern(base, X, bias)
        out.append(StressProblem(kind, _ro(X), _ro(y), _ro(second), pat, bpat, bias,
                                 float(ridge)))
    return out


def _full_pattern(signs, X, bias):
    """0/1 patterns on all samples (zero points of a bias-free arrangement are inactive)."""
    if bias:
        return _ro((signs > 0).astype(np.uint8))
    nz = np.any(X != 0, axis=1)
    P = np.zeros((signs.shape[0], X.shape[0]), dtype=np.uint8)
    P[:, nz] = signs > 0
    return _ro(P)


def _ro(a):
    a = np.array(a)
    a.flags.writeable = False
    return a
