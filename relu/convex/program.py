r"""The constrained group lasso (CGL) of Mishkin & Pilanci: data, patterns, blocks, scaling.

For data ``X`` (``n_samples x n_features``) let ``Xb`` be the *design*: the
homogenised points ``x_bar_i = (x_i, 1)`` with ``bias=True``, the raw points with
``bias=False``; ``p`` is its number of columns.  An activation pattern is a 0/1
vector ``D`` of length ``n_samples``; the patterns of one ReLU unit are the chambers
of the central arrangement ``{w : w . x_bar_i = 0}``
(:meth:`zonotope.Arrangement.from_points` with ``homogenize=bias``).  For patterns
``D_1 .. D_P`` the program (paper scaling) is

.. math::

    p^* = \min_{u, h}\; L\Big(\sum_j D_j X_b (u_j - h_j),\, y\Big)
          + \lambda \sum_j (\|u_j\|_2 + \|h_j\|_2)
    \quad\text{s.t.}\quad (2D_j - I) X_b u_j \ge 0,\ (2D_j - I) X_b h_j \ge 0,

with ``L(z, y) = 1/2 ||z - y||^2`` (``loss="mse"``) or
``L(z, y) = sum_i log(1 + e^{z_i}) - y_i z_i`` (``loss="logistic"``, labels 0/1).

**Blocks.**  The ``2P`` blocks are ordered as in the paper:
``b = 0 .. P-1`` are the ``u_j`` (sign ``+1``), ``b = P .. 2P-1`` the ``h_j`` (sign
``-1``); block ``b`` has pattern ``b % P``, matrix ``Z_b = s_b D_j X_b`` and cone
``K_j = {w : (2D_j - I) X_b w >= 0}``.  Block weights are stored as an array of shape
``(2P, p)``.

**Scaling.**  ``scaling="paper"`` (default) is the program above.  ``scaling="mean"``
is pyscnn's: ``(1/n) L + lambda sum ||.||`` (for the squared loss
``1/(2n) ||.||^2``).  The two are the same program with ``lambda_paper = n lambda_mean``
and ``p*_mean = p*_paper / n``; internally everything is in paper scaling.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice, check_data, check_labels_vector, check_nonneg, fail

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["CGLProgram", "SCALINGS", "exact_patterns", "sampled_patterns", "design_matrix",
           "unique_patterns"]

#: The two scalings of the objective: ``"paper"`` (``L + lam R``) and ``"mean"``
#: (pyscnn's ``L / n + lam R``).
SCALINGS = ("paper", "mean")


def _check_bias(bias, func):
    if not isinstance(bias, (bool, np.bool_)):
        fail("bias", func, "a bool", repr(bias))
    return bool(bias)


def design_matrix(X: ArrayLike, bias: bool = True) -> np.ndarray:
    """The design ``Xb``: ``(x_i, 1)`` rows with ``bias=True``, ``x_i`` otherwise.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    bias : bool

    Returns
    -------
    ndarray of float64, shape (n_samples, n_features + bias)

    Examples
    --------
    >>> design_matrix([[2.0], [3.0]]).tolist()
    [[2.0, 1.0], [3.0, 1.0]]
    >>> design_matrix([[2.0], [3.0]], bias=False).tolist()
    [[2.0], [3.0]]
    """
    bias = _check_bias(bias, "design_matrix")
    _, Xf = check_data(X, "design_matrix")
    if bias:
        return np.hstack([Xf, np.ones((Xf.shape[0], 1))])
    return np.array(Xf, dtype=np.float64, copy=True)


def _arrangement(Xv, bias):
    """The arrangement of the non-zero design rows and the indices of those rows."""
    from zonotope import Arrangement

    if bias:
        return Arrangement.from_points(Xv, homogenize=True), np.arange(Xv.shape[0])
    nz = np.array([any(v != 0 for v in row) for row in Xv], dtype=bool)
    idx = np.nonzero(nz)[0]
    if idx.size == 0:
        return Arrangement(np.zeros((0, Xv.shape[1])), dim=Xv.shape[1]), idx
    return Arrangement.from_points(Xv[idx], homogenize=False), idx


def unique_patterns(patterns: ArrayLike) -> np.ndarray:
    """Distinct non-zero rows of a 0/1 pattern array, in first-appearance order.

    The zero pattern is dropped: its blocks contribute nothing to the fit.

    Parameters
    ----------
    patterns : array_like of 0/1, shape (n_patterns, n_samples)

    Returns
    -------
    ndarray of uint8, shape (n_unique, n_samples)

    Examples
    --------
    >>> unique_patterns([[1, 0], [0, 0], [1, 0], [0, 1]]).tolist()
    [[1, 0], [0, 1]]
    """
    P = np.asarray(patterns)
    if P.ndim != 2:
        fail("patterns", "unique_patterns", "a 2-D 0/1 array", f"an array of shape {P.shape}")
    if P.size and not np.all((P == 0) | (P == 1)):
        fail("patterns", "unique_patterns", "made of 0/1 entries", "other values")
    P = P.astype(np.uint8)
    if P.shape[0] == 0:
        return P.reshape(0, P.shape[1])
    P = P[P.any(axis=1)]
    if P.shape[0] == 0:
        return P
    packed = np.ascontiguousarray(np.packbits(P, axis=1))
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first = np.unique(keys, return_index=True)
    out = np.ascontiguousarray(P[np.sort(first)])
    return out


def exact_patterns(X: ArrayLike, *, bias: bool = True, max_chambers: int | None = None) -> np.ndarray:
    """Every non-zero activation pattern of one ReLU unit on ``X``, exactly.

    The patterns are the chambers of the central arrangement of the design rows,
    enumerated by :func:`zonotope.enumerate_chambers` (exact signs; no tolerance).
    With ``bias=False`` a zero row of ``X`` has no hyperplane and is inactive in every
    pattern.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    bias : bool
        Homogenise (``(x, 1)``) before building the arrangement.
    max_chambers : int or None
        Refuse (:class:`~zonotope.exceptions.TooLargeError`) when the a-priori chamber
        bound exceeds this; default :data:`zonotope.DEFAULT_MAX_CHAMBERS`.

    Returns
    -------
    ndarray of uint8, shape (n_patterns, n_samples)
        Sorted in the chamber order of :func:`zonotope.enumerate_chambers`; the zero
        pattern is left out.

    Examples
    --------
    >>> exact_patterns([[0.0], [1.0], [2.0]]).tolist()  # 6 chambers, one of them empty
    [[0, 0, 1], [0, 1, 1], [1, 0, 0], [1, 1, 0], [1, 1, 1]]
    >>> exact_patterns([[1.0], [-1.0]], bias=False).tolist()
    [[0, 1], [1, 0]]
    """
    from zonotope import DEFAULT_MAX_CHAMBERS, enumerate_chambers

    func = "exact_patterns"
    bias = _check_bias(bias, func)
    Xv, _ = check_data(X, func)
    arr, idx = _arrangement(Xv, bias)
    ch = enumerate_chambers(arr, interior_points=False,
                            max_chambers=DEFAULT_MAX_CHAMBERS if max_chambers is None
                            else max_chambers)
    bits = np.unpackbits(ch.packed, axis=1, count=arr.n_hyperplanes)
    P = np.zeros((bits.shape[0], Xv.shape[0]), dtype=np.uint8)
    P[:, idx] = bits
    return unique_patterns(P)


def sampled_patterns(X: ArrayLike, n_gates: int, *, bias: bool = True,
                     rng: int | np.random.Generator | None = None) -> np.ndarray:
    """Patterns ``1{Xb g > 0}`` of Gaussian gates ``g ~ N(0, I)`` (pyscnn's sampler).

    The signs are decided exactly (a tie counts as inactive); duplicate and zero
    patterns are removed, so fewer than ``n_gates`` patterns may come back.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    n_gates : int
        Number of gates drawn.
    bias : bool
    rng : int, numpy.random.Generator or None

    Returns
    -------
    ndarray of uint8, shape (n_patterns, n_samples)

    Examples
    --------
    >>> P = sampled_patterns([[0.0], [1.0], [2.0]], 50, rng=0)
    >>> P.shape[1], len(P) <= 5
    (3, True)
    """
    from .._checks import check_rng

    func = "sampled_patterns"
    bias = _check_bias(bias, func)
    Xv, Xf = check_data(X, func)
    n_gates = check_nonneg(n_gates, func, "n_gates", allow_zero=False, integer=True)
    gen = check_rng(rng)
    p = Xf.shape[1] + int(bias)
    G = gen.standard_normal((n_gates, p))
    arr, idx = _arrangement(Xv, bias)
    P = np.zeros((n_gates, Xv.shape[0]), dtype=np.uint8)
    if arr.n_hyperplanes:
        P[:, idx] = (arr.sign_vectors(G) > 0).astype(np.uint8)
    return unique_patterns(P)


def _check_patterns(patterns, n_samples, func):
    P = np.asarray(patterns)
    if P.ndim == 1 and P.size == n_samples:
        P = P.reshape(1, -1)
    if P.ndim != 2 or P.shape[1] != n_samples:
        fail("patterns", func, f"'exact', a positive int or a 0/1 array of shape (n_patterns, {n_samples})",
             f"an array of shape {P.shape}")
    if P.size and not np.all((P == 0) | (P == 1)):
        fail("patterns", func, "made of 0/1 entries", "other values")
    return P.astype(np.uint8)


@dataclass(frozen=True, eq=False)
class CGLProgram:
    """The data of one CGL instance (always stored in paper scaling).

    Parameters
    ----------
    X : ndarray, shape (n_samples, n_features)
        Float data (without the bias column).
    y : ndarray, shape (n_samples,)
    lam : float
        ``lambda`` in paper scaling (``> 0``).
    patterns : ndarray of uint8, shape (n_patterns, n_samples)
        Distinct non-zero patterns.
    bias : bool
    loss : {"mse", "logistic"}

    Attributes
    ----------
    design : ndarray, shape (n_samples, p)
        ``Xb`` (see :func:`design_matrix`).
    n_patterns, n_blocks, n_samples, p : int

    Examples
    --------
    >>> prog = CGLProgram.build([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1, "exact")
    >>> prog.n_patterns, prog.n_blocks, prog.p, prog.block_sign(0), prog.block_sign(5)
    (5, 10, 2, 1, -1)
    >>> round(prog.objective(np.zeros((10, 2))), 12)   # the zero network: 1/2 ||y||^2
    0.5

    One pattern ``(0, 1)`` on two points: the block ``u = (1, 0)`` fits ``y`` exactly,
    lies in its cone (slacks ``>= 0``), and the residual of the zero fit is a dual point:

    >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.5, [[0, 1]])
    >>> W = np.array([[1.0, 0.0], [0.0, 0.0]])
    >>> z = prog.fit(W)
    >>> z.tolist(), prog.loss_value(z), prog.objective(W)
    ([0.0, 1.0], 0.0, 0.5)
    >>> bool((prog.cone_slacks(W) >= 0).all())
    True
    >>> r = prog.residual(np.zeros(2))
    >>> r.tolist(), prog.dual_value(r)                 # dual value <= p* = 0.5
    ([0.0, 1.0], 0.5)
    >>> prog.scale(1.0, "mean"), prog.lam_in("mean")   # "mean" scaling divides by n
    (0.5, 0.25)
    """

    X: np.ndarray
    y: np.ndarray
    lam: float
    patterns: np.ndarray
    bias: bool = True
    loss: str = "mse"

    def __post_init__(self):
        for name in ("X", "y", "patterns"):
            a = np.array(getattr(self, name), copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, X: ArrayLike, y: ArrayLike, lam: float, patterns: str | int | ArrayLike = "exact", *,
              loss: str = "mse", bias: bool = True, scaling: str = "paper",
              rng: int | np.random.Generator | None = None, max_chambers: int | None = None,
              func: str = "CGLProgram.build") -> CGLProgram:
        """Validate the inputs and compute the patterns.

        Parameters
        ----------
        X, y : array_like
        lam : float
            Regularisation in the given ``scaling`` (converted to paper scaling).
        patterns : "exact", int or array_like
            ``"exact"``: all chambers (:func:`exact_patterns`); an int: that many Gaussian
            gates (:func:`sampled_patterns`); an array: these patterns.
        loss, bias, scaling, rng, max_chambers : see :func:`relu.solve_cgl`.

        Returns
        -------
        CGLProgram

        Examples
        --------
        >>> CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.5, scaling="mean").lam
        1.0
        """
        from ..losses import get_loss

        Xv, Xf = check_data(X, func)
        n = Xf.shape[0]
        yv = check_labels_vector(y, n, func)
        lam = check_nonneg(lam, func, "lam", allow_zero=False)
        loss = check_choice(loss, ("mse", "logistic"), func, "loss")
        get_loss(loss, func).check_labels(yv, func)
        bias = _check_bias(bias, func)
        scaling = check_choice(scaling, SCALINGS, func, "scaling")
        lam_paper = lam * n if scaling == "mean" else lam
        if isinstance(patterns, str):
            if patterns != "exact":
                fail("patterns", func, "'exact', a positive int or a 0/1 array", repr(patterns))
            P = exact_patterns(Xv, bias=bias, max_chambers=max_chambers)
        elif (isinstance(patterns, (numbers.Integral, np.integer))
              and not isinstance(patterns, (bool, np.bool_))):
            if int(patterns) < 1:
                fail("patterns", func, "'exact', a positive int or a 0/1 array", repr(patterns))
            P = sampled_patterns(Xv, int(patterns), bias=bias, rng=rng)
        else:
            P = unique_patterns(_check_patterns(patterns, n, func))
        return cls(Xf, yv, float(lam_paper), P, bias, loss)

    def with_patterns(self, patterns: ArrayLike) -> CGLProgram:
        """The same data with other patterns (made distinct and non-zero).

        Examples
        --------
        >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.5)
        >>> prog.with_patterns([[0, 1]]).n_blocks
        2
        """
        P = unique_patterns(_check_patterns(patterns, self.n_samples, "CGLProgram.with_patterns"))
        return CGLProgram(self.X, self.y, self.lam, P, self.bias, self.loss)

    # ------------------------------------------------------------------ sizes
    @property
    def n_samples(self) -> int:
        """Number of training examples ``n``."""
        return int(self.X.shape[0])

    @property
    def n_features(self) -> int:
        """Number of input features ``d``."""
        return int(self.X.shape[1])

    @property
    def p(self) -> int:
        """Number of weights per block (``n_features + bias``)."""
        return self.n_features + int(self.bias)

    @property
    def n_patterns(self) -> int:
        """Number of activation patterns ``P``."""
        return int(self.patterns.shape[0])

    @property
    def n_blocks(self) -> int:
        """Number of blocks ``2 P`` (the u's, then the h's)."""
        return 2 * self.n_patterns

    @cached_property
    def design(self) -> np.ndarray:
        """The design matrix ``Xb`` (``[X, 1]`` with bias, ``X`` without), read-only."""
        Xb = design_matrix(self.X, self.bias)
        Xb.flags.writeable = False
        return Xb

    def block_sign(self, b: int) -> int:
        """``+1`` for the ``u`` blocks (``b < P``), ``-1`` for the ``h`` blocks."""
        return 1 if int(b) < self.n_patterns else -1

    @cached_property
    def block_signs(self) -> np.ndarray:
        """Signs of all blocks, shape ``(2P,)``."""
        s = np.r_[np.ones(self.n_patterns), -np.ones(self.n_patterns)]
        s.flags.writeable = False
        return s

    @cached_property
    def block_patterns(self) -> np.ndarray:
        """Pattern of every block, shape ``(2P, n_samples)`` (the patterns twice)."""
        B = np.vstack([self.patterns, self.patterns]) if self.n_patterns else \
            np.zeros((0, self.n_samples), dtype=np.uint8)
        B.flags.writeable = False
        return B

    # ------------------------------------------------------------------ maps
    def scale(self, value: float, scaling: str) -> float:
        """Convert an objective value from paper scaling to ``scaling``."""
        return float(value) / self.n_samples if scaling == "mean" else float(value)

    def lam_in(self, scaling: str) -> float:
        """``lambda`` in the given scaling."""
        return self.lam / self.n_samples if scaling == "mean" else self.lam

    def block_fits(self, blocks: ArrayLike) -> np.ndarray:
        """Per-block fits ``Z_b w_b = s_b D_j Xb w_b`` as the columns of an ``(n, 2P)`` array.

        Examples
        --------
        >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.5, [[0, 1]])
        >>> prog.block_fits(np.array([[1.0, 0.0], [0.0, 0.0]])).tolist()
        [[0.0, 0.0], [1.0, 0.0]]
        """
        Wb = np.asarray(blocks, dtype=np.float64).reshape(self.n_blocks, self.p)
        F = (Wb @ self.design.T) * self.block_patterns * self.block_signs[:, None]
        return F.T + 0.0

    def fit(self, blocks: ArrayLike) -> np.ndarray:
        """The model fit ``Z w`` on the training data, shape ``(n_samples,)``."""
        Wb = np.asarray(blocks, dtype=np.float64).reshape(self.n_blocks, self.p)
        if self.n_blocks == 0:
            return np.zeros(self.n_samples)
        U = Wb[: self.n_patterns] - Wb[self.n_patterns:]
        return np.einsum("ji,ji->i", self.patterns, U @ self.design.T)

    def loss_value(self, z: ArrayLike) -> float:
        """``L(z, y)`` in paper scaling (``1/2 ||z - y||^2`` or the summed logistic loss)."""
        z = np.asarray(z, dtype=np.float64)
        if self.loss == "mse":
            return 0.5 * float(np.sum((z - self.y) ** 2))
        return float(np.sum(np.logaddexp(0.0, z) - self.y * z))

    def residual(self, z: ArrayLike) -> np.ndarray:
        """``r = -dL/dz`` at the fit ``z`` (``y - z`` for the squared loss)."""
        z = np.asarray(z, dtype=np.float64)
        if self.loss == "mse":
            return self.y - z
        return self.y - 0.5 * (1.0 + np.tanh(0.5 * z))

    def dual_value(self, r: ArrayLike) -> float:
        """Dual objective ``-sum_i L_i^*(-r_i)`` at ``r``.

        A lower bound on ``p*`` when ``r`` is dual feasible (see ``docs/convex.md``).
        """
        r = np.asarray(r, dtype=np.float64)
        if self.loss == "mse":
            return float(r @ self.y - 0.5 * r @ r)
        q = self.y - r  # in [0, 1] for a feasible logistic dual point
        if np.any(q < -1e-15) or np.any(q > 1 + 1e-15):
            return -np.inf
        q = np.clip(q, 0.0, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ent = np.where(q > 0, q * np.log(q), 0.0) + np.where(q < 1, (1 - q) * np.log1p(-q), 0.0)
        return float(-np.sum(ent))

    def objective(self, blocks: ArrayLike) -> float:
        """Objective (paper scaling) of block weights ``(2P, p)`` (feasibility not checked)."""
        Wb = np.asarray(blocks, dtype=np.float64).reshape(self.n_blocks, self.p)
        return self.loss_value(self.fit(Wb)) + self.lam * float(np.sum(np.linalg.norm(Wb, axis=1)))

    def cone_slacks(self, blocks: ArrayLike) -> np.ndarray:
        """``(2D_j - I) Xb w_b`` for every block, shape ``(2P, n_samples)`` (``>= 0`` = feasible)."""
        Wb = np.asarray(blocks, dtype=np.float64).reshape(self.n_blocks, self.p)
        return (Wb @ self.design.T) * (2.0 * self.block_patterns - 1.0)

    def __repr__(self):
        return (f"<CGLProgram: {self.n_samples} samples, {self.n_features} features, "
                f"bias={self.bias}, loss={self.loss!r}, lam={self.lam:.6g} (paper scaling), "
                f"{self.n_patterns} patterns = {self.n_blocks} blocks>")
