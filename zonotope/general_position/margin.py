"""How far a data set is from degeneracy: normalised minors and a certified radius."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from .. import _exact
from .._exact import U, as_fraction, det
from .._minors import MinorScan
from .._validation import as_homogenized_points
from ..exceptions import TooLargeError
from ._search import DEFAULT_MAX_SUBSETS, check_max_subsets, too_large_message

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["GeneralPositionMargin", "general_position_margin"]


@dataclass(frozen=True)
class GeneralPositionMargin:
    """How far a data set is from degeneracy.

    Attributes
    ----------
    min_normalized_det : float
        ``min_S |det Xbar_S| / prod_{i in S} ||xbar_i||_2`` over the ``(d+1)``-subsets
        ``S`` (a number in ``[0, 1]`` by Hadamard's inequality; 0 iff some subset is
        dependent).  A floating-point estimate with relative error about ``1e-13``
        (its *sign* pattern is exact).  For ``n_samples < d + 1``: the largest value
        over the ``n_samples``-column minors instead.
    argmin : tuple of int
        A subset attaining it.
    certified_radius : float
        A rigorous lower bound on the perturbation radius: moving every point by at
        most this much (Euclidean norm, any directions) changes the sign of no
        ``(d+1)``-minor, hence keeps the chirotope, the chambers (activation patterns)
        and the combinatorial type of the zonotope.  0 when ``X`` is not in general
        position.
    radius_subset : tuple of int
        The subset whose bound is smallest.
    n_subsets : int
        Number of subsets examined.
    center, scale : ndarray, float
        The exact affine normalisation ``y = scale * (x - center)`` used for the
        radius bound (minors are invariant under it up to the factor ``scale^d``).

    Examples
    --------
    >>> m = general_position_margin([[0.0], [1.0], [3.0]])
    >>> m.argmin, m.n_subsets, 0 < m.certified_radius <= 0.5
    ((1, 2), 3, True)
    """

    min_normalized_det: float
    argmin: tuple
    certified_radius: float
    radius_subset: tuple
    n_subsets: int
    center: np.ndarray = field(repr=False)
    scale: float = 1.0


def _normalisation(X):
    """Center (float) and power-of-two scale for the radius bound (no overflow).

    Any finite center is valid (the bound accounts for the rounding of
    ``s (x - c)``); the data are first scaled by a power of two so that neither the
    mean nor the spread overflow.  Data beyond the float range get the center 0.
    """
    N, d = X.shape
    if X.dtype == object:
        vals = [as_fraction(v) for v in X.flat]
        amax = max((abs(v) for v in vals), default=Fraction(0))
        if amax == 0:
            return np.zeros(d), 1.0
        e0 = amax.numerator.bit_length() - amax.denominator.bit_length()
        if amax >= Fraction(2) ** e0:
            e0 += 1
        f = Fraction(2) ** -e0
        Z = np.array([float(v * f) for v in vals], dtype=np.float64).reshape(N, d)
    else:
        amax = float(np.max(np.abs(X))) if X.size else 0.0
        if amax == 0.0:
            return np.zeros(d), 1.0
        e0 = int(np.frexp(amax)[1])
        Z = np.ldexp(X, -e0)                             # |Z| < 1
    cz = Z.mean(axis=0)
    rz = float(np.sqrt(np.mean(np.sum((Z - cz) ** 2, axis=1))))
    with np.errstate(over="ignore", under="ignore"):
        c = np.ldexp(cz, int(np.clip(e0, -4000, 4000)))
    if not np.all(np.isfinite(c)):
        c = np.zeros(d)
    if rz == 0.0:
        return c, 1.0
    e = -round(math.log2(rz) + e0)
    # s^d is handled as an exponent (no overflow); s itself stays a normal float
    return c, math.ldexp(1.0, max(-1022, min(1023, e)))


def _rho_bounds(X, c, s):
    """Rigorous bounds ``rho_lo <= ||(s (x_i - c), 1)||_2 <= rho_hi`` for every row."""
    N, d = X.shape
    if X.dtype == object:
        cF = [Fraction(float(v)) for v in c]
        sF = Fraction(s)
        q = []
        for r in X:
            tot = Fraction(1)
            for v, cv in zip(r, cF):
                y = sF * (Fraction(v) - cv)
                tot += y * y
            q.append(_to_float(tot))  # correctly rounded: relative error <= u (inf if huge)
        q = np.array(q)
    else:
        # each entry: relative error <= u (subtraction), scaling exact (an underflow
        # moves an entry by <= 2^-1075, far below u * q since q >= 1); scale first
        # when s < 1 so that nothing overflows
        Y = X * s - c * s if s < 1.0 else (X - c) * s
        q = np.sum(Y * Y, axis=1) + 1.0
    rel = (2 * d + 12) * U
    r = np.sqrt(q)
    return r * (1.0 - rel), r * (1.0 + rel)


def general_position_margin(X: ArrayLike, *, max_subsets: int = DEFAULT_MAX_SUBSETS) -> GeneralPositionMargin:
    r"""Normalised distance from degeneracy and a certified perturbation radius.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    max_subsets : int or None
        Refuse (:class:`TooLargeError`) above this many ``(d+1)``-subsets.

    Returns
    -------
    GeneralPositionMargin

    Raises
    ------
    ValidationError, TooLargeError

    See Also
    --------
    zonotope.perturbation.perturbation_radius : the same bound plus the exact radius.

    Notes
    -----
    **Radius bound.**  Translate and scale exactly, ``y_i = s (x_i - c)``: minors of
    the homogenised points change by the positive factor ``s^d`` and perturbations by
    ``s``, so it suffices to bound the radius for ``y`` and divide by ``s``.  Let
    ``M = Ybar_S`` with rows of norms ``rho_i = ||(y_i, 1)||``, ``D = |det M| > 0``,
    and perturb row ``i`` by ``(delta_i, 0)`` with ``||delta_i|| <= eps``.  The
    determinant is multilinear in the rows, so ``det(M + E) - det(M)`` is a sum over
    the non-empty sets ``T`` of rows taken from ``E``; by Hadamard's inequality each
    term is at most ``eps^|T| prod_{i not in T} rho_i``, whence

    .. math:: |\det(M+E) - \det M| \le \prod_i (\rho_i + \varepsilon) - \prod_i \rho_i
              \le \prod_i \rho_i \,(e^{\varepsilon \sigma} - 1),
              \qquad \sigma = \sum_i 1/\rho_i .

    The sign survives when this is ``< D``, i.e. for
    ``eps < log(1 + mu) / sigma`` with ``mu = D / prod rho_i``; since
    ``log(1 + mu) >= 2 mu / (2 + mu)``, every ``eps <= 2 mu / ((2 + mu) sigma)`` is
    safe.  The certified radius is the minimum over all subsets, computed from a
    certified lower bound on ``D`` and upper bounds on ``rho_i``, ``sigma``, with a
    final relative safety factor ``1 - 1e-12`` covering the rounding of the few
    floating-point operations involved (each bounded by ``u = 2^-53``).

    Cost: one exhaustive scan of the ``C(n_samples, d+1)`` minors plus a few
    elementwise passes per block (about twice :func:`is_in_general_position`).

    Examples
    --------
    >>> m = general_position_margin([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> round(m.min_normalized_det, 6), m.argmin
    (0.5, (0, 1, 2))
    >>> 0 < m.certified_radius < 0.5
    True
    >>> general_position_margin([[0, 0], [1, 1], [2, 2]]).certified_radius   # collinear
    0.0
    """
    func = "general_position_margin"
    max_subsets = check_max_subsets(max_subsets, func)
    X, Xb = as_homogenized_points(X, func)
    N, n = Xb.shape
    d = n - 1
    er = _exact.ExactRows(Xb)
    c, s = _normalisation(X)
    if N < n:
        return _margin_few(X, Xb, er, c, s)
    total = math.comb(N, n)
    if max_subsets is not None and total > max_subsets:
        raise TooLargeError(too_large_message(func, "X", N, n, total, max_subsets, "subsets of d+1 points"))
    F = er.F
    rho_lo, rho_hi = _rho_bounds(X, c, s)
    radius_ok = bool(np.all(np.isfinite(rho_hi)))  # else: data beyond any float scaling
    if not radius_ok:
        rho_lo, rho_hi = np.ones_like(rho_lo), np.ones_like(rho_hi)
    # det Xbar_S = det F_S / prod_i F[i, -1]   (F_i = F[i, -1] * xbar_i)
    # phi_i = 1 / (F[i, -1] rho_i), kept as mantissa * 2^exponent so that nothing
    # overflows at any magnitude of the data (F[i, -1] may be as small as 2^-1074)
    lastM, lastE = np.frexp(F[:, -1])
    if not np.all(lastM > 0):  # the homogenising 1 underflowed against huge exact entries
        radius_ok = False
        lastM = np.where(lastM > 0, lastM, 0.5)
    if not er.int_mode:
        lastM = lastM * (1.0 + 2 * U)                    # upper bounds
    phiM = (1.0 - 4 * U) / (lastM * rho_hi)             # lower bounds (times 2^phiE)
    phiE = -lastE.astype(np.int64)
    inv_rho = 1.0 / rho_lo * (1.0 + 4 * U)              # upper bounds of 1/rho
    normF = np.sqrt(np.einsum("ij,ij->i", F, F))
    scan = MinorScan(er)
    best_mu, arg_mu = np.inf, None
    best_eps, arg_eps = np.inf, None
    sdE = d * (int(np.frexp(s)[1]) - 1)               # s^d = 2^sdE (s is a power of two)
    for blk in scan.blocks():
        A, B = blk.A, blk.B
        absval = np.abs(blk.val)
        # normalised determinant (float estimate)
        fa = 1.0 / (blk.sA * np.prod(normF[A], axis=1))
        fb = 1.0 / (blk.sB * np.prod(normF[B], axis=1))
        mu = absval * fa[:, None] * fb[None, :]
        k = int(np.argmin(mu))
        if mu.flat[k] < best_mu:
            best_mu = float(mu.flat[k])
            arg_mu = blk.subset(*np.unravel_index(k, mu.shape))
        # certified radius bound
        Dlo = absval - blk.thr
        np.maximum(Dlo, 0.0, out=Dlo)
        special = []
        if blk.thr > 0.0 and not np.all(Dlo > 0):
            # uncertain entries: decide exactly; a zero means radius 0, otherwise the
            # bound of that subset is evaluated from its exact determinant
            rr, cc = np.nonzero(Dlo <= 0)
            for r, cidx in zip(rr.tolist(), cc.tolist()):
                sub = blk.subset(r, cidx)
                if scan.exact_sign(sub) == 0:
                    return GeneralPositionMargin(0.0, sub, 0.0, sub, total, c, s)
                special.append((r, cidx, sub))
        gaM, gaE = np.frexp(np.prod(phiM[A], axis=1) / blk.sA)
        gbM, gbE = np.frexp(np.prod(phiM[B], axis=1) / blk.sB)
        dM, dE = np.frexp(Dlo)
        expo = (dE + (gaE + phiE[A].sum(axis=1))[:, None] + (gbE + phiE[B].sum(axis=1))[None, :]
                + sdE)
        with np.errstate(over="ignore", under="ignore"):
            mup = np.ldexp(dM * gaM[:, None] * gbM[None, :], np.clip(expo, -4000, 4000).astype(np.int32))
        mup = np.maximum(mup - 2.0**-1074, 0.0)  # ldexp may round up in the subnormal range
        sig = np.sum(inv_rho[A], axis=1)[:, None] + np.sum(inv_rho[B], axis=1)[None, :]
        eps = 2.0 * mup / ((2.0 + mup) * sig)
        for r, cidx, sub in special:
            eps[r, cidx] = _subset_radius_bound(X, sub, c, s, rho_hi, inv_rho) * s
        k = int(np.argmin(eps))
        if eps.flat[k] < best_eps:
            best_eps = float(eps.flat[k])
            arg_eps = blk.subset(*np.unravel_index(k, eps.shape))
            if best_eps == 0.0:
                break
    with np.errstate(over="ignore"):
        radius = max(0.0, min(best_eps / s * (1.0 - 1e-12), float(np.finfo(np.float64).max)))
    if not radius_ok:
        radius = 0.0  # a valid (if useless) bound; perturbation_radius rescales first
    if arg_mu is None:  # pragma: no cover - N >= n guarantees a block
        arg_mu = arg_eps = tuple(range(n))
    return GeneralPositionMargin(best_mu, arg_mu, radius, arg_eps, total, c, s)



def _subset_radius_bound(X, sub, c, s, rho_hi, inv_rho):
    """Certified radius bound of one subset from its exact determinant (slow path)."""
    cF = [Fraction(float(v)) for v in c]
    sF = Fraction(s)
    M = [[sF * (as_fraction(v) - cv) for v, cv in zip(X[i], cF)] + [Fraction(1)] for i in sub]
    D = abs(det(M))
    mup = float(D) * (1.0 - 4 * U) / float(np.prod(rho_hi[list(sub)]))
    sig = float(np.sum(inv_rho[list(sub)])) * (1.0 + 4 * len(sub) * U)
    return 2.0 * mup / ((2.0 + mup) * sig) / s


def _margin_few(X, Xb, er, c, s):
    """Margin for ``n_samples < d + 1``: the points are generic iff independent.

    Independence survives a perturbation as long as one ``N x N`` column minor of the
    homogenised normalised points ``(y_i, 1)`` keeps its sign, so the bound of
    :func:`general_position_margin` applied to the best column subsets (exact rational
    minors, the 10 best by a float estimate) is again a certified radius.  A single
    point is never dependent (its homogenised row is never zero): radius ``inf``.
    """
    N, n = Xb.shape
    cols_all = list(combinations(range(n), N))
    if _exact.exact_rank(er, np.arange(N)) < N:
        return GeneralPositionMargin(0.0, tuple(range(N)), 0.0, tuple(range(N)), len(cols_all), c, s)
    Xbr = [[as_fraction(v) for v in r] for r in Xb]
    cF = [Fraction(float(v)) for v in c]
    sF = Fraction(s)
    Yr = [[sF * (v - cv) for v, cv in zip(r[:-1], cF)] + [Fraction(1)] for r in Xbr]

    def _estimates(rows):
        F = np.array([[_to_float(v) for v in r] for r in rows], dtype=np.float64)
        F = _exact._pow2_normalise(np.where(np.isfinite(F), F, 0.0))
        est = []
        for C in cols_all:
            Mf = F[:, list(C)]
            nrm = float(np.prod(np.linalg.norm(Mf, axis=1)))
            est.append(abs(float(np.linalg.det(Mf))) / nrm if nrm > 0 else 0.0)
        return np.argsort(est, kind="stable")[::-1][:10].tolist()

    best_mu, best_eps = 0.0, (math.inf if N == 1 else 0.0)
    for k in _estimates(Xbr):
        M = [[Xbr[i][j] for j in cols_all[k]] for i in range(N)]
        D = abs(det(M))
        if D != 0:
            best_mu = max(best_mu, _ratio_float(D, [sum(v * v for v in row) for row in M]))
    if N > 1:
        for k in _estimates(Yr):
            MY = [[Yr[i][j] for j in cols_all[k]] for i in range(N)]
            DY = abs(det(MY))
            if DY == 0:
                continue
            q = np.array([float(sum(v * v for v in row)) for row in MY])
            rho_hi = np.sqrt(q) * (1.0 + 8 * U)
            rho_lo = np.sqrt(q) * (1.0 - 8 * U)
            mup = float(DY) * (1.0 - 4 * U) / float(np.prod(rho_hi))
            sig = float(np.sum(1.0 / rho_lo))
            with np.errstate(over="ignore"):
                eps = 2.0 * mup / ((2.0 + mup) * sig) / s * (1.0 - 1e-12)
            best_eps = max(best_eps, min(eps, float(np.finfo(np.float64).max)))
    return GeneralPositionMargin(best_mu, tuple(range(N)), best_eps, tuple(range(N)), len(cols_all), c, s)


def _to_float(v):
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def _ratio_float(D, sq_norms):
    """``D / prod_i sqrt(sq_norms[i])`` as a float, without overflow (exact inputs)."""
    num = D * D
    den = Fraction(1)
    for q in sq_norms:
        den *= q
    return math.sqrt(float(num / den))


# =====================================================================================
