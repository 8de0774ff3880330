"""Theorem 4.3: an exact fit with ``2 ceil(N / (d + 1))`` hidden units in polynomial time.

**This is the toolkit's reconstruction** (the paper's Appendix F was unavailable; see
``docs/relu.md``), following the main text's outline:

1. Sort the examples by ``t_i = x_i . e`` (``e`` = the last input coordinate by
   default); the values must be distinct.
2. Cut the sorted list into chunks ``D_1, ..., D_K`` of ``d + 1`` consecutive examples
   (the last may be shorter), ``K = ceil(N / (d + 1))``.
3. Chunk ``k`` gets two units with second-layer weights ``+1`` and ``-1``, both active
   exactly on the chunks ``k, k+1, ..., K``:

   * separator ``h_k = (e, -tau_k)`` with ``tau_k`` strictly between the last ``t`` of
     chunk ``k - 1`` and the first ``t`` of chunk ``k`` (``tau_1`` below all), so
     ``h_k . x_bar_i = t_i - tau_k`` is positive exactly on chunks ``>= k``;
   * residual fit ``u_k``: ``u_k . x_bar_i = y_i - sum_{k' < k} u_{k'} . x_bar_i`` on
     ``D_k`` -- a square system when the chunk's homogenised points are linearly
     independent (affinely independent points), minimum-norm for a short last chunk;
   * ``w_k^- = lambda_k h_k`` and ``w_k^+ = lambda_k h_k + u_k`` with
     ``lambda_k = margin * max_i |u_k . x_bar_i| / |h_k . x_bar_i|`` over *all*
     examples, so both units have the sign pattern of ``h_k``.

On example ``i`` of chunk ``k`` the active pairs are ``k' <= k`` and each contributes
``w^+ . x_bar - w^- . x_bar = u_{k'} . x_bar``; by construction the sum equals ``y_i``.
Later chunks never disturb earlier ones (their units are inactive there).

**What it needs** (weaker than general position): distinct values ``t_i`` along the
sort direction, and affinely independent points inside every chunk.  Data in
general position (no ``d + 1`` points on an affine hyperplane) satisfy the second
condition for every chunking; the first holds after a generic rotation, e.g. pass
``direction=`` a random unit vector.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ._checks import check_data, check_labels_vector, check_nonneg, fail
from .exceptions import GeneralPositionError, ZonotopeError
from .results import FitResult

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["exact_fit_construction", "ExactFitResult"]


@dataclass(frozen=True, eq=False)
class ExactFitResult(FitResult):
    """:class:`relu.FitResult` of the Theorem 4.3 construction, with its diagnostics.

    Attributes
    ----------
    residual : float
        ``max_i |f(x_i) - y_i|``.
    relative_residual : float
        ``residual / max(max_i |y_i|, tiny)``.
    weight_norms : ndarray, shape (m,)
        Euclidean norm of every row of ``W``.
    lipschitz_upper : float
        ``sum_j |v_j| ||W_j[:d]||_2``, an upper bound on the Lipschitz constant of ``f``
        (Euclidean norm on the input).
    lipschitz_data : float
        ``max_{i != k} |f(x_i) - f(x_k)| / ||x_i - x_k||``, a lower bound on it.
    chunk_conditions : ndarray, shape (K,)
        2-norm condition numbers of the chunk matrices ``[x_bar_i]_{i in D_k}``.
    lambdas : ndarray, shape (K,)
    order : ndarray of int, shape (N,)
        The sorted order of the examples.
    direction : ndarray, shape (d,)

    Examples
    --------
    >>> r = exact_fit_construction([[0.0], [1.0], [2.0], [3.0]], [1.0, -1.0, 2.0, 0.0])
    >>> r.residual < 1e-12, r.n_units
    (True, 4)
    """

    residual: float = float("nan")
    relative_residual: float = float("nan")
    weight_norms: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lipschitz_upper: float = float("nan")
    lipschitz_data: float = float("nan")
    chunk_conditions: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lambdas: np.ndarray = field(default_factory=lambda: np.zeros(0))
    order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    direction: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __str__(self):
        base = super().__str__()
        return (base + f"\nresidual max|f(x)-y| = {self.residual:.3g} (relative "
                f"{self.relative_residual:.3g}); max ||w_j|| = {float(np.max(self.weight_norms)):.3g}; "
                f"Lipschitz constant between {self.lipschitz_data:.3g} (data) and "
                f"{self.lipschitz_upper:.3g} (bound)")


def _exact_values(Xv, direction):
    """Exact (Fraction) or float values ``x_i . direction`` and a tie test."""
    from fractions import Fraction

    if Xv.dtype == object or direction.dtype == object:
        vals = [sum((Fraction(a) if not isinstance(a, float) else Fraction(a)) * Fraction(b)
                    for a, b in zip(row, direction)) for row in Xv]
        return vals
    # floats are exact binary numbers; for the default axis direction the value is x_d
    return [Fraction(float(t)) for t in (np.asarray(Xv, dtype=np.float64) @ direction)]


def exact_fit_construction(X: ArrayLike, y: ArrayLike, *, direction: ArrayLike | None = None,
                           margin: float = 2.0) -> ExactFitResult:
    """Build a shallow ReLU network with ``2 ceil(N / (d + 1))`` units fitting ``(X, y)`` exactly.

    Theorem 4.3 of Matena & Raffel (2022), in the toolkit's reconstruction (module
    docstring).  Runs in ``O(N log N + N d^2 + K N d)`` time for ``K`` chunks.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    direction : array_like, shape (n_features,), optional
        Sort direction ``e`` (default: the last input coordinate ``e_d``).  Any vector
        with distinct values ``x_i . e`` works.
    margin : float, default 2
        ``lambda_k = margin * max_i |u_k . x_bar_i| / |h_k . x_bar_i|`` (must exceed 1;
        larger is safer against rounding, smaller is better conditioned).

    Returns
    -------
    ExactFitResult
        ``method="construction"``; ``W`` rows ordered ``(w_1^+, w_1^-, w_2^+, w_2^-,
        ...)`` with ``second_layer = (+1, -1, ..., 0)``; ``patterns`` is the staircase
        (verified exactly with :func:`zonotope.activation_patterns`); residual and
        conditioning diagnostics.  The construction needs hidden-unit biases (the
        separators are affine), so ``bias`` is always True.

    Raises
    ------
    GeneralPositionError
        Tied values along ``direction`` (sort order undefined), or a chunk whose points
        are affinely dependent (decided exactly).
    ValidationError
        Bad input.

    Notes
    -----
    The network is typically very ill-conditioned (the paper's remark): the
    ``lambda_k`` grow when a point lies close to a separator, and the pairs cancel.
    See ``lipschitz_upper`` and ``weight_norms``.

    Examples
    --------
    >>> X = [[0.0, 0.0], [1.0, 0.5], [0.0, 1.0], [2.0, 1.5], [1.0, 2.0]]
    >>> r = exact_fit_construction(X, [1.0, 0.0, 2.0, 1.0, 0.0])
    >>> r.n_units, r.relative_residual < 1e-10
    (4, True)
    >>> exact_fit_construction([[0.0, 1.0], [1.0, 1.0]], [0.0, 1.0])  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.GeneralPositionError: the construction sorts the examples by x . direction
    (direction = e_d, the last input coordinate by default) and needs distinct values; examples 0 and 1
    tie at 1. Pass another `direction` (e.g. a random unit vector) or perturb the data.
    """
    from zonotope import Arrangement, activation_patterns, homogenize

    t0 = time.perf_counter()
    func = "exact_fit_construction"
    Xv, Xf = check_data(X, func)
    N, d = Xf.shape
    yv = check_labels_vector(y, N, func)
    margin = check_nonneg(margin, func, "margin", allow_zero=False)
    if margin <= 1.0:
        fail("margin", func, "a number > 1", repr(margin))
    if direction is None:
        e = np.zeros(d)
        e[-1] = 1.0
        dir_name = "e_d, the last input coordinate by default"
    else:
        e = np.asarray(direction, dtype=np.float64).reshape(-1)
        if e.shape != (d,) or not np.all(np.isfinite(e)) or not np.any(e):
            fail("direction", func, f"a non-zero finite vector of length {d}", f"{np.shape(direction)}")
        dir_name = "the given direction"
    # exact sort key and tie detection
    vals = _exact_values(Xv, e)
    order = np.array(sorted(range(N), key=lambda i: vals[i]), dtype=np.intp)
    for a, b in zip(order[:-1], order[1:]):
        if vals[a] == vals[b]:
            i, j = sorted((int(a), int(b)))
            raise GeneralPositionError(
                f"the construction sorts the examples by x . direction (direction = {dir_name}) "
                f"and needs distinct values; examples {i} and {j} tie at {float(vals[a]):.6g}. "
                "Pass another `direction` (e.g. a random unit vector) or perturb the data.")
    t = np.array([float(vals[i]) for i in range(N)])
    Xb = np.hstack([Xf, np.ones((N, 1))])
    p = d + 1
    K = -(-N // p)
    chunks = [order[k * p:min(N, (k + 1) * p)] for k in range(K)]
    # exact affine-independence check of every chunk
    Xh = homogenize(Xv)
    for k, ch in enumerate(chunks):
        rank = Arrangement(Xh[ch]).rank
        if rank < len(ch):
            raise GeneralPositionError(
                f"chunk {k} (examples {sorted(int(i) for i in ch)}) is affinely dependent (rank "
                f"{rank} < {len(ch)} of the homogenised points), so its residual system has no "
                "solution in general; the construction needs every chunk of d + 1 consecutive "
                "points (in the sort order) to be affinely independent, which general position "
                "guarantees. Perturb the data or pass another `direction`.")
    fitted = np.zeros(N)
    W = np.zeros((2 * K, p))
    lambdas = np.zeros(K)
    conds = np.zeros(K)
    ts = t[order]
    for k, ch in enumerate(chunks):
        Ak = Xb[ch]
        rk = yv[ch] - fitted[ch]
        if len(ch) == p:
            u = np.linalg.solve(Ak, rk)
        else:
            u = np.linalg.lstsq(Ak, rk, rcond=None)[0]
        sv = np.linalg.svd(Ak, compute_uv=False)
        conds[k] = float(sv[0] / sv[-1]) if sv[-1] > 0 else np.inf
        start = k * p
        if k == 0:
            gap = (ts[-1] - ts[0]) if N > 1 else 1.0
            tau = ts[0] - max(gap, 1.0)
        else:
            tau = 0.5 * (ts[start - 1] + ts[start])
        h = np.r_[e, -tau]
        hx = Xb @ h
        ux = Xb @ u
        ratio = float(np.max(np.abs(ux) / np.abs(hx)))
        lam = margin * ratio if ratio > 0 else 1.0
        lambdas[k] = lam
        W[2 * k] = lam * h + u
        W[2 * k + 1] = lam * h
        active = hx > 0
        fitted = fitted + np.where(active, ux, 0.0)
    v = np.zeros(2 * K + 1)
    v[0:2 * K:2] = 1.0
    v[1:2 * K:2] = -1.0
    # verify the staircase pattern exactly
    pattern = activation_patterns(Xv, W)
    rank_of = np.empty(N, dtype=np.intp)
    rank_of[order] = np.arange(N)
    expected = (rank_of[None, :] >= (np.arange(2 * K) // 2 * p)[:, None]).astype(np.uint8)
    if not np.array_equal(pattern, expected):  # pragma: no cover - margin > 1 prevents it
        raise ZonotopeError("the constructed weights do not realise the staircase pattern "
                            "(rounding); retry with a larger `margin`")
    out = np.maximum(Xb @ W.T, 0.0) @ v[:-1]
    res = out - yv
    residual = float(np.max(np.abs(res)))
    ymax = float(np.max(np.abs(yv)))
    rel = residual / ymax if ymax > 0 else residual
    norms = np.linalg.norm(W, axis=1)
    lip_up = float(np.sum(np.abs(v[:-1]) * np.linalg.norm(W[:, :-1], axis=1)))
    lip_data = 0.0
    if N > 1:
        D = np.linalg.norm(Xf[:, None, :] - Xf[None, :, :], axis=2)
        F = np.abs(out[:, None] - out[None, :])
        with np.errstate(divide="ignore", invalid="ignore"):
            Q = np.where(D > 0, F / np.where(D > 0, D, 1.0), 0.0)
        lip_data = float(Q.max())
    return ExactFitResult(W, v, float(np.mean(res ** 2)), pattern, "construction",
                          time.perf_counter() - t0, 0, status="optimal", loss_name="mse",
                          info={"n_chunks": K}, residual=residual, relative_residual=rel,
                          weight_norms=norms, lipschitz_upper=lip_up, lipschitz_data=lip_data,
                          chunk_conditions=conds, lambdas=lambdas, order=order, direction=e)
