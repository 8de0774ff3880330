r"""Perturbation studies: how far the points can move before the combinatorial type changes.

The *combinatorial type* of a data set is the oriented matroid of its homogenised
points; it fixes the chambers of the arrangement (the feasible activation patterns
of a ReLU unit) and the face lattice of the zonotope (see
:mod:`zonotope.equivalence`).  For a data set ``X`` in general position the
*perturbation radius* is

.. math:: r^*(X) = \sup\{\varepsilon : \text{every } X' \text{ with }
          \max_i \|x_i' - x_i\|_2 < \varepsilon \text{ has the type of } X\}.

It is the quantity behind step 1 of the proof of Theorem 4.1 of Matena & Raffel
(2022).  For a data set *not* in general position ``r^* = 0``.  See
``docs/general_position.md`` for the proofs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from ._exact import U as _U
from ._exact import as_fraction as _fraction
from ._exact import det as _frac_det
from ._exact import det_with_error as _det_err
from ._exact import sqrt_to_float as _sqrt_to_float
from ._validation import as_homogenized_points as _point_rows
from ._validation import as_points, check_rng
from .exceptions import ValidationError
from .general_position import (
    DEFAULT_MAX_SUBSETS,
    general_position_margin,
    general_position_witness,
)

if TYPE_CHECKING:
    from numbers import Real

    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "PerturbationRadius",
    "perturbation_radius",
    "random_perturbation",
    "PerturbationSample",
    "sample_perturbations",
]

#: Default limit on ``C(n_samples, d+1) * (2^d - 1)`` for the exact radius.
DEFAULT_MAX_EXACT_WORK = 2_000_000


@dataclass(frozen=True)
class PerturbationRadius:
    """Certified and exact perturbation radius of a data set.

    Attributes
    ----------
    certified : float
        A rigorous lower bound on ``r^*`` (from :func:`general_position_margin`):
        every perturbation moving each point by less than this keeps the type.
    exact : float or None
        ``r^*`` itself, ``min_S width(conv x_S) / 2`` over the ``(d+1)``-subsets ``S``
        (see Notes of :func:`perturbation_radius`); ``0.0`` when ``X`` is not in
        general position; ``None`` when not computed (too large, or
        ``n_samples < d + 1``).  The float nearest to ``sqrt(exact_squared)``.
    exact_squared : Fraction or None
        ``r^*`` squared as an exact rational (floats taken at their binary value).
    is_generic : bool
        Whether ``X`` is in general position.
    critical_subset : tuple of int or None
        A ``(d+1)``-subset attaining ``r^*`` (a dependent subset when ``r^* = 0``).
    critical_partition : tuple of two tuples or None
        The split ``(I, J)`` of ``critical_subset`` whose affine hulls are closest:
        the points of ``I`` and of ``J`` move towards each other by ``r^*``.

    Examples
    --------
    >>> r = perturbation_radius([[0.0], [1.0], [3.0]])
    >>> r.exact, r.critical_subset, r.degenerating_perturbation().tolist()
    (0.5, (0, 1), [[0.5], [-0.5], [0.0]])
    """

    certified: float
    exact: float | None
    exact_squared: Fraction | None
    is_generic: bool
    critical_subset: tuple | None
    critical_partition: tuple | None
    _X: np.ndarray = field(repr=False, compare=False, default=None)

    def degenerating_perturbation(self) -> np.ndarray:
        """Displacements that move the critical points onto one hyperplane.

        ``delta`` has shape (n_samples, n_features), ``||delta_i|| = r^*`` on the
        critical subset and 0 elsewhere.

        ``X + delta`` is not in general position (in exact arithmetic), so the type
        changes at ``eps = r^*``.  ``X + t * delta`` with ``t > 1`` flips the sign of the
        critical minor: a different oriented matroid when ``n_samples > d + 1`` (with
        ``d + 1`` points the single minor's sign is only a global sign, and the type
        is the same again).  Floating-point rounding of ``X + delta`` makes the
        degeneracy approximate.

        Raises
        ------
        ValidationError
            When :attr:`exact` was not computed or is 0.
        """
        if self.exact is None or self.critical_partition is None or not self.is_generic:
            raise ValidationError("degenerating_perturbation needs a computed, non-zero exact radius.")
        X = np.asarray(self._X, dtype=np.float64)
        I, J = self.critical_partition
        dirs = [X[i] - X[I[0]] for i in I[1:]] + [X[j] - X[J[0]] for j in J[1:]]
        d = X.shape[1]
        if dirs:
            _, _, vt = np.linalg.svd(np.array(dirs).reshape(-1, d))
            u = vt[-1]
        else:
            u = np.ones(1)
        sI, sJ = float(u @ X[I[0]]), float(u @ X[J[0]])
        mid = 0.5 * (sI + sJ)
        delta = np.zeros_like(X)
        for i in I:
            delta[i] = (mid - sI) * u
        for j in J:
            delta[j] = (mid - sJ) * u
        return delta


def _partitions(k):
    """Unordered splits ``(I, J)`` of ``range(k)`` into two non-empty parts (0 in ``I``)."""
    out = []
    rest = list(range(1, k))
    for m in range(0, k - 1):
        for T in combinations(rest, m):
            I = (0,) + T
            J = tuple(x for x in rest if x not in T)
            out.append((I, J))
    return out


def _gram_det_frac(vecs):
    if not vecs:
        return Fraction(1)
    G = [[sum(a * b for a, b in zip(u, v)) for v in vecs] for u in vecs]
    return _frac_det(G)


def _exact_subset_radius2(Xr, S, parts):
    """``(r_S^2, best partition)`` exactly for the subset ``S`` (Fractions)."""
    d = len(Xr[0])
    D = _frac_det([Xr[i] + [Fraction(1)] for i in S])
    if D == 0:
        return Fraction(0), parts[0]
    best, arg = None, None
    for I, J in parts:
        dirs = [[a - b for a, b in zip(Xr[S[i]], Xr[S[I[0]]])] for i in I[1:]]
        dirs += [[a - b for a, b in zip(Xr[S[j]], Xr[S[J[0]]])] for j in J[1:]]
        g = _gram_det_frac(dirs) if d > 1 else Fraction(1)
        if best is None or g > best:
            best, arg = g, (I, J)
    return D * D / (4 * best), arg


def _pow2_scaled(X):
    """``(Y, k)`` with ``Y = 2^k X`` exactly and ``max |Y|`` in ``[1/4, 1/2)``.

    ``Y`` is ``float64`` when the scaling is exact in floating point (always when
    scaling up), else an exact ``object`` array of Fractions (scaling down would
    round entries into the subnormal range).  Every quantity of the radius scales
    exactly (``r(Y) = 2^k r(X)``), so the answer does not depend on the magnitude of
    the data and nothing overflows.
    """
    if X.dtype != object:
        amax = float(np.max(np.abs(X))) if X.size else 0.0
        if amax == 0.0:
            return X, 0
        k = -1 - int(np.frexp(amax)[1])
        Y = np.ldexp(X, k)
        if np.array_equal(np.ldexp(Y, -k), X):
            return Y, k
        fr = np.empty(X.shape, dtype=object)
        fr.flat[:] = [Fraction(float(v)) * Fraction(2) ** k for v in X.flat]
        return fr, k
    vals = [_fraction(v) for v in X.flat]
    amax = max((abs(v) for v in vals), default=Fraction(0))
    if amax == 0:
        return X, 0
    e = amax.numerator.bit_length() - amax.denominator.bit_length()
    if amax >= Fraction(2) ** e:  # amax in [2^(e-1), 2^e)
        e += 1
    k = -1 - e
    f = Fraction(2) ** k
    Y = np.empty(X.shape, dtype=object)
    Y.flat[:] = [v * f for v in vals]
    return Y, k


def _ldexp_down(x, k):
    """A float ``<= x 2^k`` (the nearest one when representable; no overflow)."""
    if x == 0.0 or not math.isfinite(x):
        return x
    try:
        y = math.ldexp(x, k)
    except OverflowError:
        return float(np.finfo(np.float64).max)
    if math.isinf(y):
        return float(np.finfo(np.float64).max)
    if Fraction(y) > Fraction(x) * Fraction(2) ** k:
        y = math.nextafter(y, 0.0)
    return y


def _radius_bounds(Yf, inerr, subsets, parts):
    """Rigorous float bounds ``rlo <= r_S <= rhi`` of the subset radii (``|Yf| < 1/2``).

    ``r_S = |det Ybar_S| / (2 sqrt(max_(I, J) Gram(I, J)))``; the determinant and, by
    Cauchy--Binet (``Gram = sum_c m_c^2`` over the maximal minors ``m_c`` of the edge
    vectors), the Gram determinants come with error bounds from
    :func:`zonotope._exact.det_with_error`; ``inerr`` bounds the error of ``Yf``.
    """
    M = subsets.shape[0]
    d = Yf.shape[1]
    P = Yf[subsets]
    Pe = inerr[subsets]
    ones = np.ones(P.shape[:2] + (1,))
    D, eD = _det_err(np.concatenate([P, ones], axis=2),
                     np.concatenate([Pe, np.zeros_like(ones)], axis=2))
    D = np.abs(D)
    Dlo = np.maximum(D - eD, 0.0)
    Dhi = D + eD
    glo = np.zeros(M)
    ghi = np.zeros(M)
    if d == 1:
        glo[:] = 1.0
        ghi[:] = 1.0
    for I, J in parts if d > 1 else []:
        pairs = [(i, I[0]) for i in I[1:]] + [(j, J[0]) for j in J[1:]]
        E = np.stack([P[:, a] - P[:, b] for a, b in pairs], axis=1)  # (M, d-1, d)
        dE = np.stack([Pe[:, a] + Pe[:, b] for a, b in pairs], axis=1)
        dE = 2 * _U * np.abs(E) + dE * (1 + 4 * _U)
        lo = np.zeros(M)
        hi = np.zeros(M)
        cols = np.arange(d)
        for c in range(d):
            m_c, e_c = _det_err(E[:, :, cols != c], dE[:, :, cols != c])
            m_c = np.abs(m_c)
            lo += np.maximum(m_c - e_c, 0.0) ** 2
            hi += (m_c + e_c) ** 2
        np.maximum(glo, lo * (1 - 4 * d * _U), out=glo)
        np.maximum(ghi, hi * (1 + 4 * d * _U), out=ghi)
    rlo = Dlo / (2.0 * np.sqrt(ghi)) * (1 - 8 * _U)
    rhi = np.full(M, np.inf)
    pos = glo > 0
    rhi[pos] = Dhi[pos] / (2.0 * np.sqrt(glo[pos])) * (1 + 8 * _U)
    return rlo, rhi


def perturbation_radius(X: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS,
                        max_exact_work: float = DEFAULT_MAX_EXACT_WORK) -> PerturbationRadius:
    r"""The largest ``eps`` such that moving each point by less than ``eps`` keeps the type.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_subsets : int or None
        Size limit of the certified bound (an exhaustive scan of the ``(d+1)``-minors).
    max_exact_work : int or None
        The exact radius is computed when ``C(n_samples, d+1) * (2^d - 1)`` is at most
        this (``None``: always).

    Returns
    -------
    PerturbationRadius

    Raises
    ------
    ValidationError, TooLargeError

    Notes
    -----
    **Exact value.**  Let ``X`` be in general position and ``n_samples >= d + 1``.
    The type is kept exactly as long as no ``(d+1)``-minor changes sign (equal
    chirotopes mean equal oriented matroids, which determine the chambers; a zero or
    flipped minor changes the oriented matroid, hence its set of topes, i.e. the
    chambers).  A minor ``det Xbar_S`` vanishes iff the ``d + 1`` points of ``S`` lie
    on one hyperplane, and the smallest ``eps`` for which moving each point by at
    most ``eps`` achieves this is ``min_H max_{i in S} dist(x_i, H) = width(S) / 2``,
    half the minimal width of the simplex ``conv(x_S)``.  The width of a simplex is
    attained between the affine hulls of two complementary faces ``x_I``, ``x_J``
    (Steinhagen; see Alexander 1977), whose distance is
    ``|det Xbar_S| / ||u_IJ||`` with ``||u_IJ||^2`` the Gram determinant of the
    ``d - 1`` edge vectors of the two faces.  Hence

    .. math:: r^*(X)^2 = \min_S \frac{(\det \bar X_S)^2}{4 \max_{I \sqcup J = S}
              \operatorname{Gram}(I, J)},

    a rational number for rational data.  **The minimum is exact**: the data are
    first scaled by a power of two (exactly) to magnitude about 1; every subset gets
    rigorous floating-point bounds ``rlo <= r_S <= rhi`` (determinants with proven
    error bounds, Gram determinants through Cauchy--Binet); every subset whose
    ``rlo`` does not exceed the smallest ``rhi`` -- the only ones that can attain the
    minimum -- is then evaluated in exact rational arithmetic, in increasing order
    of ``rlo`` until the next ``rlo`` exceeds the best exact value.  No tolerance
    decides which subset is smallest, and the answer scales exactly with the data
    (``r(2^k X) = 2^k r(X)``).  At ``eps = r^*`` the type changes
    (:meth:`PerturbationRadius.degenerating_perturbation`), so ``r^*`` is the
    supremum, not attained.  If ``X`` is not in general position, a perturbation of
    any size ``> 0`` breaks one of its dependencies and changes the oriented matroid,
    so ``r^* = 0``.  A single point never changes type: its certified radius is
    ``inf``.

    **Certified value.**  See :func:`general_position_margin` (Hadamard's inequality
    and multilinearity of the determinant; about ``mu / (d + 1)`` in normalised
    units), computed on the power-of-two scaled data and scaled back (rounded
    down).  It is a bound, typically below ``r^*`` by a factor depending on the
    conditioning.

    Cost: one scan of the ``C(n_samples, d+1)`` minors for the bound;
    ``O(C(n_samples, d+1) 2^d d^3)`` float operations plus a few exact subsets for the
    exact value.

    References
    ----------
    R. Alexander, "The width and diameter of a simplex", Geom. Dedicata 6 (1977)
    87-94, doi:10.1007/BF00181583.

    Examples
    --------
    >>> r = perturbation_radius([[0.0, 0.0], [4.0, 0.0], [0.0, 4.0], [4.0, 4.0]])
    >>> r.exact, r.exact_squared, r.critical_partition
    (1.4142135623730951, Fraction(2, 1), ((0,), (1, 2)))
    >>> 0 < r.certified <= r.exact
    True
    >>> perturbation_radius([[0, 0], [1, 1], [2, 2]]).exact     # collinear
    0.0
    >>> r = perturbation_radius([[0.0], [1e300], [3e300]])      # any magnitude
    >>> r.exact, r.exact_squared == Fraction(1e300) ** 2 / 4
    (5e+299, True)
    >>> perturbation_radius([[1.0, 2.0]]).certified             # one point
    inf
    """
    func = "perturbation_radius"
    X, _ = _point_rows(X, func)
    if max_exact_work is not None and (isinstance(max_exact_work, bool)
                                       or not isinstance(max_exact_work, (int, np.integer))
                                       or max_exact_work < 0):
        raise ValidationError(f"`max_exact_work` of `{func}` must be a non-negative int or None; "
                              f"got {max_exact_work!r} instead.")
    N, d = X.shape
    Y, k = _pow2_scaled(X)
    margin = general_position_margin(Y, max_subsets=max_subsets)
    cert = _ldexp_down(margin.certified_radius, -k)
    if margin.certified_radius == 0.0:
        w = general_position_witness(X, max_subsets=max_subsets)
        if w is not None:
            return PerturbationRadius(0.0, 0.0, Fraction(0), False, w.indices, None, X)
    if N < d + 1:
        return PerturbationRadius(cert, None, None, True, None, None, X)
    parts = _partitions(d + 1)
    work = math.comb(N, d + 1) * len(parts)
    if max_exact_work is not None and work > max_exact_work:
        return PerturbationRadius(cert, None, None, True, None, None, X)
    if Y.dtype != object:
        Yf, inerr = Y, np.zeros(Y.shape)
    else:
        Yf = np.array([[float(v) for v in r] for r in Y], dtype=np.float64).reshape(Y.shape)
        inerr = _U * np.abs(Yf) + 2.0**-1074  # each entry rounded once
    subsets = np.array(list(combinations(range(N), d + 1)), dtype=np.intp)
    rlo = np.empty(subsets.shape[0])
    rhi = np.empty(subsets.shape[0])
    step = max(1, 65536 // len(parts))
    for lo in range(0, subsets.shape[0], step):
        rlo[lo:lo + step], rhi[lo:lo + step] = _radius_bounds(Yf, inerr, subsets[lo:lo + step], parts)
    top = float(rhi.min())
    cand = np.flatnonzero(rlo <= top)
    cand = cand[np.argsort(rlo[cand], kind="stable")]
    Yr = [[_fraction(v) for v in row] for row in Y]
    best, arg_s, arg_p = None, None, None
    for c in cand.tolist():
        if best is not None and Fraction(float(rlo[c])) ** 2 > best:
            break  # every later subset has r_S >= rlo > sqrt(best)
        S = tuple(int(i) for i in subsets[c])
        val, part = _exact_subset_radius2(Yr, S, parts)
        if best is None or val < best or (val == best and S < arg_s):  # ties: first subset
            best, arg_s, arg_p = val, S, part
    I = tuple(arg_s[i] for i in arg_p[0])
    J = tuple(arg_s[j] for j in arg_p[1])
    exact_sq = best / Fraction(4) ** k  # r(X) = 2^-k r(Y)
    return PerturbationRadius(cert, _sqrt_to_float(exact_sq), exact_sq, True, arg_s, (I, J), X)


def random_perturbation(X: ArrayLike, eps: Real, *, rng: int | np.random.Generator | None = None,
                        distribution: str = "ball") -> NDArray[np.float64]:
    """``X`` with every point moved by an independent random vector of norm ``<= eps``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Exact input is converted to float.
    eps : float
        Radius (Euclidean, per point); ``0`` returns a float copy.
    rng : None, int or numpy.random.Generator
    distribution : {"ball", "sphere"}
        Displacements uniform in the ball of radius ``eps`` or on its sphere.

    Returns
    -------
    ndarray of float64, shape (n_samples, n_features)
        Rounding of ``x + delta`` may change a displacement by one ulp of ``x``.

    Examples
    --------
    >>> Xp = random_perturbation([[0.0, 0.0], [1.0, 1.0]], 0.1, rng=0)
    >>> bool(np.all(np.linalg.norm(Xp - [[0, 0], [1, 1]], axis=1) <= 0.1))
    True
    >>> random_perturbation([[2.0]], 0.0).tolist()        # eps = 0
    [[2.0]]
    """
    func = "random_perturbation"
    X = as_points(X, "X", func)
    gen = check_rng(rng)
    e = _check_eps(eps, func)
    if distribution not in ("ball", "sphere"):
        raise ValidationError(f"`distribution` of `{func}` must be 'ball' or 'sphere'; "
                              f"got {distribution!r} instead.")
    Xf = np.asarray(X, dtype=np.float64) if X.dtype != object else np.array(
        [[float(v) for v in r] for r in X], dtype=np.float64)
    N, d = Xf.shape
    G = gen.standard_normal((N, d))
    norms = np.linalg.norm(G, axis=1)
    norms[norms == 0] = 1.0
    U = G / norms[:, None]
    if distribution == "ball":
        U *= gen.random(N)[:, None] ** (1.0 / d)
    return Xf + e * U


def _check_eps(eps, func):
    if isinstance(eps, (bool, np.bool_)):
        raise ValidationError(f"`eps` of `{func}` must be a finite number >= 0; got {eps!r} instead.")
    try:
        e = float(eps)
    except (TypeError, ValueError):
        raise ValidationError(f"`eps` of `{func}` must be a finite number >= 0; "
                              f"got {eps!r} instead.") from None
    if not (np.isfinite(e) and e >= 0):
        raise ValidationError(f"`eps` of `{func}` must be a finite number >= 0; got {eps!r} instead.")
    return e


@dataclass(frozen=True)
class PerturbationSample:
    """Outcome of :func:`sample_perturbations`.

    Attributes
    ----------
    eps : float
    check : {"chirotope", "chambers"}
    changed : ndarray of bool, shape (n_samples,)
        Whether the combinatorial type (oriented matroid = set of chambers) changed.
    n_new, n_vanished : ndarray of int or None
        For ``check="chambers"``: chambers created / lost by each perturbation.
    max_displacement : ndarray of float, shape (n_samples,)
        ``max_i ||x'_i - x_i||`` actually realised (after rounding).
    samples : list of ndarray or None
        The perturbed data sets (kept when ``keep=True``).

    Examples
    --------
    >>> s = sample_perturbations([[0.0], [1.0], [3.0]], 0.4, 10, rng=0)
    >>> s.n_changed, s.fraction_changed, bool(np.all(s.max_displacement <= 0.4))
    (0, 0.0, True)
    """

    eps: float
    check: str
    changed: np.ndarray
    n_new: np.ndarray | None
    n_vanished: np.ndarray | None
    max_displacement: np.ndarray
    samples: list | None = field(default=None, repr=False)

    @property
    def n_changed(self) -> int:
        """Number of perturbations that changed the type."""
        return int(np.count_nonzero(self.changed))

    @property
    def fraction_changed(self) -> float:
        """Fraction of perturbations that changed the type."""
        return float(np.mean(self.changed)) if self.changed.size else 0.0


def sample_perturbations(X: ArrayLike, eps: Real, n_samples: int = 100, *,
                         rng: int | np.random.Generator | None = None, distribution: str = "ball",
                         check: str = "chirotope", keep: bool = False, max_bases: int | None = None,
                         max_chambers: int | None = None) -> PerturbationSample:
    """Draw random ``eps``-perturbations of ``X`` and report whether the type changed.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    eps : float
    n_samples : int
    rng : None, int or numpy.random.Generator
    distribution : {"ball", "sphere"}
        See :func:`random_perturbation`.
    check : {"chirotope", "chambers"}
        ``"chirotope"``: compare oriented matroids by their chirotopes (exact, fast).
        ``"chambers"``: enumerate the chambers of each perturbation and count new and
        vanished ones (the paper's second discontinuity mechanism).
    keep : bool
        Keep the perturbed data sets in the result.
    max_bases, max_chambers : int or None
        Size limits (default: the packages' defaults).

    Returns
    -------
    PerturbationSample

    Notes
    -----
    With ``eps`` below :attr:`PerturbationRadius.certified` no sample can change; a
    non-generic ``X`` changes under almost every perturbation.  Both checks are exact
    for the perturbed floats as they are.

    Examples
    --------
    >>> X = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> sample_perturbations(X, 0.01, 20, rng=0).n_changed
    0
    >>> s = sample_perturbations([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]], 0.01, 5,
    ...                          rng=0, check="chambers")
    >>> s.n_changed, s.n_new.tolist()
    (5, [2, 2, 2, 2, 2])
    """
    from .arrangement import Arrangement
    from .chambers import DEFAULT_MAX_CHAMBERS, enumerate_chambers
    from .equivalence import DEFAULT_MAX_BASES, Chirotope

    func = "sample_perturbations"
    X = as_points(X, "X", func)
    e = _check_eps(eps, func)
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 0:
        raise ValidationError(f"`n_samples` of `{func}` must be a non-negative int; "
                              f"got {n_samples!r} instead.")
    if check not in ("chirotope", "chambers"):
        raise ValidationError(f"`check` of `{func}` must be 'chirotope' or 'chambers'; "
                              f"got {check!r} instead.")
    gen = check_rng(rng)
    max_bases = DEFAULT_MAX_BASES if max_bases is None else max_bases
    max_chambers = DEFAULT_MAX_CHAMBERS if max_chambers is None else max_chambers
    Xf = np.asarray(X, dtype=np.float64) if X.dtype != object else np.array(
        [[float(v) for v in r] for r in X], dtype=np.float64)
    changed = np.zeros(int(n_samples), dtype=bool)
    disp = np.zeros(int(n_samples))
    n_new = np.zeros(int(n_samples), dtype=np.int64) if check == "chambers" else None
    n_gone = np.zeros(int(n_samples), dtype=np.int64) if check == "chambers" else None
    kept = [] if keep else None
    if check == "chirotope":
        base = Chirotope.from_points(X, max_bases=max_bases)
    else:
        ch0 = enumerate_chambers(Arrangement.from_points(X), max_chambers=max_chambers, interior_points=False)
        keys0 = {r.tobytes() for r in ch0.packed}
    for k in range(int(n_samples)):
        Xp = random_perturbation(Xf, e, rng=gen, distribution=distribution)
        disp[k] = float(np.max(np.linalg.norm(Xp - Xf, axis=1))) if Xf.size else 0.0
        if check == "chirotope":
            changed[k] = not base.is_equivalent(Chirotope.from_points(Xp, max_bases=max_bases))
        else:
            ch = enumerate_chambers(Arrangement.from_points(Xp), max_chambers=max_chambers,
                                    interior_points=False)
            keys = {r.tobytes() for r in ch.packed}
            n_new[k] = len(keys - keys0)
            n_gone[k] = len(keys0 - keys)
            changed[k] = bool(n_new[k] or n_gone[k])
        if keep:
            kept.append(Xp)
    return PerturbationSample(e, check, changed, n_new, n_gone, disp, kept)
