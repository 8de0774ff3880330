"""Modular certificates of general position, and perturbations that carry one.

A :class:`ModularCertificate` proves general position in ``O(n_samples d)``: the
data reduce modulo a prime to points of a scaled moment curve, whose maximal minors
are non-zero Vandermonde determinants.  :func:`perturb_with_certificate` moves
arbitrary data by at most ``scale`` onto such a configuration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .._exact import U, as_fraction, sqrt_to_float
from .._validation import as_homogenized_points, as_points, check_rng
from ..exceptions import ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from numbers import Real

    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ModularCertificate",
    "GenericPerturbation",
    "modular_certificate",
    "verify_modular_certificate",
    "perturb_with_certificate",
    "perturb_to_general_position",
]


def _primes_in(lo, hi):
    """All primes ``p`` with ``lo <= p <= hi`` (sieve of Eratosthenes)."""
    hi = int(hi)
    if hi < 2:
        return []
    sieve = np.ones(hi + 1, dtype=bool)
    sieve[:2] = False
    for p in range(2, int(hi ** 0.5) + 1):
        if sieve[p]:
            sieve[p * p::p] = False
    return [int(p) for p in np.nonzero(sieve)[0] if p >= lo]


def _default_primes(N):
    P0 = max(int(N), 3)
    return _primes_in(P0, 4 * P0 + 64)


def _residues(X, p):
    """Entries of ``X`` reduced modulo the odd prime ``p`` (int64), or None.

    Floats are dyadic rationals ``m 2^e`` (their exact binary value); exact entries are
    Fractions.  None when some denominator is divisible by ``p``.
    """
    if X.dtype != object:
        m, e = np.frexp(X)
        mant = (m * 2.0**53).astype(np.int64)
        exps = e.astype(np.int64) - 53
        ue, inv = np.unique(exps, return_inverse=True)
        tab = np.array([pow(2, int(x), p) for x in ue], dtype=np.int64)
        return (np.mod(mant, p) * tab[inv.reshape(exps.shape)]) % p
    out = np.empty(X.shape, dtype=np.int64)
    for idx, v in np.ndenumerate(X):
        f = as_fraction(v)
        if f.denominator % p == 0:
            return None
        out[idx] = f.numerator % p * pow(f.denominator, -1, p) % p
    return out


def _moment_structure(Y, p):
    """``(t, lambdas)`` with ``Y[:, c] = lambdas[c] t^(c+1) mod p`` and distinct ``t``; or None."""
    N, d = Y.shape
    t = Y[:, 0]
    if np.unique(t).size < N:
        return None
    lams = [1]
    if d == 1:
        return t, tuple(lams)
    nz = np.nonzero(t)[0]
    if nz.size == 0:  # one point with t = 0: every coordinate must vanish, any lambdas do
        return (t, (1,) * d) if not np.any(Y) else None
    ref = int(nz[0])
    tp = t.copy()
    for c in range(1, d):
        tp = tp * t % p
        lam = int(Y[ref, c]) * pow(int(tp[ref]), -1, p) % p
        if lam == 0 or not np.array_equal(Y[:, c], lam * tp % p):
            return None
        lams.append(lam)
    return t, tuple(lams)


@dataclass(frozen=True)
class ModularCertificate:
    """A short proof that a data set is in general position.

    The data reduce modulo the prime ``prime`` to points on a scaled moment curve:
    ``x_ic = lambdas[c] * t_i^(c+1) (mod prime)`` with pairwise distinct ``t_i``
    (``parameters``) and non-zero ``lambdas``.  Then every ``(d+1)``-minor of the
    homogenised points reduces to ``+-prod(lambdas) * prod_{k<l} (t_l - t_k)``, a
    non-zero Vandermonde determinant over the field ``F_prime``, so it is non-zero
    over the rationals (reduction modulo ``prime`` is a ring homomorphism on the
    rationals whose denominators are prime to ``prime``).  Checking the certificate
    costs ``O(n_samples d)``; see :func:`verify_modular_certificate`.

    Examples
    --------
    >>> from zonotope import is_in_general_position
    >>> X = [[1, 1, 1], [2, 4, 8], [3, 9, 5], [4, 5, 9]]   # (t, t^2, t^3) mod 11
    >>> cert = ModularCertificate(11, (1, 2, 3, 4), (1, 1, 1))
    >>> verify_modular_certificate(X, cert), is_in_general_position(X)
    (True, True)
    """

    prime: int
    parameters: tuple
    lambdas: tuple


def _find_certificate(Xb, primes):
    """Search the primes for a :class:`ModularCertificate` of the homogenised rows ``Xb``."""
    X = Xb[:, :-1]
    N, d = X.shape
    if N == 0 or d == 0:
        return None
    if primes is None:
        primes = _default_primes(N)
    head = X[: min(N, 3)]
    for p in primes:
        p = int(p)
        if p < max(N, 3):
            continue
        Yh = _residues(head, p)
        if Yh is None or _moment_structure(Yh, p) is None:
            continue
        Y = _residues(X, p)
        if Y is None:
            continue
        st = _moment_structure(Y, p)
        if st is not None:
            t, lams = st
            return ModularCertificate(p, tuple(int(v) for v in t), tuple(int(v) for v in lams))
    return None


def modular_certificate(X: ArrayLike, *, primes: Sequence[int] | None = None) -> ModularCertificate | None:
    """Search for a :class:`ModularCertificate` of general position (``O(n d)`` per prime).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    primes : iterable of int, optional
        Candidate primes (each must be odd and ``>= n_samples``).  Default: every
        prime in ``[max(n_samples, 3), 4 max(n_samples, 3) + 64]``, which contains the
        prime used by :func:`perturb_with_certificate` for the same data.

    Returns
    -------
    ModularCertificate or None
        ``None`` means only that no certificate was found (almost all generic data
        have none); it says nothing against general position.

    Notes
    -----
    Candidates are rejected on the first three points before the full check, so a
    search costs ``O(n_primes + n_samples d)`` modular operations.

    Examples
    --------
    >>> Xp = perturb_to_general_position([[0.0, 0.0]] * 5, 0.01, rng=0)
    >>> cert = modular_certificate(Xp)
    >>> cert is not None and verify_modular_certificate(Xp, cert)
    True
    >>> modular_certificate([[0, 0], [1, 1], [2, 2]]) is None   # collinear: impossible
    True
    """
    func = "modular_certificate"
    _, Xb = as_homogenized_points(X, func)
    if primes is not None:
        primes = [int(p) for p in primes]
        bad = [p for p in primes if p < 3 or any(p % q == 0 for q in range(2, int(p ** 0.5) + 1))]
        if bad:
            raise ValidationError(f"`primes` of `{func}` must contain odd primes; got {bad[0]!r} instead.")
    return _find_certificate(Xb, primes)


def verify_modular_certificate(X: ArrayLike, certificate: ModularCertificate) -> bool:
    """Check a :class:`ModularCertificate` exactly; True proves general position.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    certificate : ModularCertificate

    Returns
    -------
    bool

    Examples
    --------
    >>> X = perturb_to_general_position([[1.0, 2.0, 3.0]] * 4, 0.5, rng=1)
    >>> verify_modular_certificate(X, modular_certificate(X))
    True
    >>> verify_modular_certificate([[0.0, 0.0]], ModularCertificate(5, (1,), (1, 1)))
    False
    """
    func = "verify_modular_certificate"
    X, _ = as_homogenized_points(X, func)
    if not isinstance(certificate, ModularCertificate):
        raise ValidationError(f"`certificate` of `{func}` must be a ModularCertificate; "
                              f"got {type(certificate).__name__} instead.")
    p = int(certificate.prime)
    N, d = X.shape
    if p < max(N, 3) or any(p % q == 0 for q in range(2, int(p ** 0.5) + 1)):
        return False
    if len(certificate.parameters) != N or len(certificate.lambdas) != d:
        return False
    t = np.array(certificate.parameters, dtype=np.int64) % p
    if np.unique(t).size < N:
        return False
    Y = _residues(X, p)
    if Y is None:
        return False
    tp = np.ones(N, dtype=np.int64)
    for c in range(d):
        lam = int(certificate.lambdas[c]) % p
        tp = tp * t % p
        if lam == 0 or not np.array_equal(Y[:, c], lam * tp % p):
            return False
    return True


@dataclass(frozen=True)
class GenericPerturbation:
    """Result of :func:`perturb_with_certificate`.

    Attributes
    ----------
    data : ndarray, shape (n_samples, n_features)
        The perturbed points: ``float64`` when every new coordinate is exactly
        representable (the usual case), else exact ``object`` (Fractions).
    certificate : ModularCertificate
        Proof that ``data`` is in general position.
    max_displacement : float
        ``max_i ||data_i - X_i||_2`` (computed exactly, rounded up), at most ``scale``.
    grid : Fraction
        The power of two ``h``: every new coordinate is an integer multiple of ``h``.

    Examples
    --------
    >>> res = perturb_with_certificate([[0.0, 0.0], [0.0, 0.0]], 0.5, rng=0)
    >>> res.max_displacement <= 0.5, verify_modular_certificate(res.data, res.certificate)
    (True, True)
    """

    data: np.ndarray
    certificate: ModularCertificate
    max_displacement: float
    grid: Fraction


def _check_scale(scale, func, X):
    if scale is None:
        mx = max((abs(as_fraction(v)) for v in X.flat), default=Fraction(0))
        fmax = float(np.finfo(np.float64).max)
        return min(fmax, 1e-6 * max(1.0, _to_float(mx)))
    if isinstance(scale, (bool, np.bool_)):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; got {scale!r} instead.")
    try:
        sc = float(scale)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; "
                              f"got {scale!r} instead.") from None
    if not (np.isfinite(sc) and sc > 0):
        raise ValidationError(f"`scale` of `{func}` must be a positive finite number; got {scale!r} instead.")
    return sc


def _to_float(v):
    try:
        return float(v)
    except OverflowError:
        return math.inf if v > 0 else -math.inf


def perturb_with_certificate(X: ArrayLike, scale: Real | None = None, *,
                             rng: int | np.random.Generator | None = None) -> GenericPerturbation:
    """Move every point by at most ``scale`` so that the result is provably generic.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Float or exact data (any configuration, e.g. with repeated points).
    scale : float, optional
        Bound on the Euclidean displacement of each point.  Default
        ``1e-6 * max(1, max |X|)``.
    rng : None, int or numpy.random.Generator
        Chooses the prime and the curve parameters.

    Returns
    -------
    GenericPerturbation
        The perturbed data with a :class:`ModularCertificate` of general position.

    Raises
    ------
    ValidationError
        Bad ``X``, ``scale`` or ``rng``.

    See Also
    --------
    perturb_to_general_position : the same, returning only the data.

    Notes
    -----
    **Construction.**  Pick a prime ``p >= max(n_samples, 3)``, distinct residues
    ``t_1, ..., t_N`` in ``F_p`` and the power of two ``h`` with
    ``h p sqrt(d) / 2 <= scale``.  Each coordinate ``x_ic`` becomes ``h z_ic`` where
    ``z_ic`` is the integer nearest to ``x_ic / h`` among those congruent to
    ``t_i^(c+1)`` modulo ``p``, so ``|h z_ic - x_ic| <= h p / 2`` and every point moves
    by at most ``h p sqrt(d) / 2 <= scale``.

    **Proof of general position.**  Reduce the homogenised new points modulo ``p``
    (``h`` is a power of two, invertible modulo the odd prime ``p``): the row of point
    ``i`` becomes ``(h t_i, h t_i^2, ..., h t_i^d, 1)``.  For any ``d + 1`` points the
    determinant reduces to ``h^d`` times a Vandermonde determinant
    ``+-prod_{k<l} (t_l - t_k)``, non-zero in the field ``F_p`` because the ``t`` are
    distinct.  Reduction modulo ``p`` is a ring homomorphism, so the rational
    determinant is non-zero.  Smaller subsets are independent as subsets of
    independent sets (or, for ``n_samples <= d``, by a Vandermonde minor).  No
    enumeration of subsets is needed: the certificate is checked in ``O(n d)``.

    Examples
    --------
    >>> from zonotope import is_in_general_position
    >>> X = [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]   # duplicate + collinear
    >>> res = perturb_with_certificate(X, 1e-3, rng=0)
    >>> res.max_displacement <= 1e-3, is_in_general_position(res.data)
    (True, True)
    >>> perturb_with_certificate([[5.0]], 0.1, rng=0).data.shape    # one 1-D point
    (1, 1)
    """
    func = "perturb_with_certificate"
    X = as_points(X, "X", func)
    gen = check_rng(rng)
    sc = _check_scale(scale, func, X)
    N, d = X.shape
    P0 = max(N, 3)
    primes = _primes_in(P0, 2 * P0 + 32)
    p = int(primes[int(gen.integers(len(primes)))])
    t = gen.choice(p, size=N, replace=False).astype(np.int64)
    # grid: the largest power of two h with (h p)^2 d <= (2 scale)^2
    scF = Fraction(sc)
    k = math.floor(math.log2(sc) + 1.0 - math.log2(p * math.sqrt(d))) + 1
    while Fraction(2) ** k * p * Fraction(2) ** k * p * d > 4 * scF * scF:
        k -= 1
    h = Fraction(2) ** k
    R = np.empty((N, d), dtype=object)
    tp = np.ones(N, dtype=np.int64)
    for c in range(d):
        tp = tp * t % p
        R[:, c] = tp.tolist()
    Z = np.empty((N, d), dtype=object)
    disp2 = []
    for i in range(N):
        tot = Fraction(0)
        for c in range(d):
            q = as_fraction(X[i, c]) / h
            r = int(R[i, c])
            m = round((q - r) / p)
            z = r + p * m
            Z[i, c] = z
            tot += (h * (z - q)) ** 2
        disp2.append(tot)
    new = np.empty((N, d), dtype=object)
    for idx, z in np.ndenumerate(Z):
        v = h * z
        new[idx] = v.numerator if v.denominator == 1 else v
    out = new
    if X.dtype != object and all(abs(z) < 2**53 for z in Z.flat):
        with np.errstate(over="ignore", under="ignore"):
            F = np.ldexp(np.array([[float(z) for z in row] for row in Z], dtype=np.float64).reshape(N, d),
                         int(np.clip(k, -4000, 4000)))
        if np.all(np.isfinite(F)) and all(Fraction(float(f)) == as_fraction(v)
                                          for f, v in zip(F.flat, new.flat)):
            out = F
    out = np.array(out, copy=True)
    out.flags.writeable = False
    Xb = np.empty((N, d + 1), dtype=object)
    Xb[:, :d] = new
    Xb[:, d] = 1
    cert = _find_certificate(Xb, [p])
    if cert is None:  # pragma: no cover - impossible by the proof above
        raise AssertionError("internal error: the modular construction failed to certify")
    # the exact displacement is <= scale by construction; report an upper bound
    maxdisp = max(sqrt_to_float(v) for v in disp2) * (1 + 4 * U) if disp2 else 0.0
    return GenericPerturbation(out, cert, min(maxdisp, sc), h)


def perturb_to_general_position(X: ArrayLike, scale: Real | None = None, *,
                                rng: int | np.random.Generator | None = None) -> NDArray[np.float64]:
    """Data within ``scale`` of ``X`` (per point, Euclidean) that are provably generic.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    scale : float, optional
        Bound on each point's displacement (default ``1e-6 * max(1, max |X|)``).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ndarray, shape (n_samples, n_features)
        ``float64`` (or exact ``object`` when a coordinate does not fit in a float).

    See Also
    --------
    perturb_with_certificate : construction, proof, and the certificate itself.

    Notes
    -----
    If ``scale`` is below the certified radius of ``X``
    (:func:`general_position_margin`) and ``X`` is already in general position, the
    result has the same chirotope and chambers as ``X``.

    Examples
    --------
    >>> from zonotope import is_in_general_position
    >>> Xp = perturb_to_general_position([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]], 1e-3, rng=0)
    >>> is_in_general_position(Xp), bool(np.max(np.abs(Xp - [[0, 0], [1, 1], [2, 2]])) <= 1e-3)
    (True, True)
    """
    return perturb_with_certificate(X, scale, rng=rng).data


# =====================================================================================
# Bounded-time report for any size
