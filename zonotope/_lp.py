"""The one max-margin LP of the package, scale-invariant and certified.

Is the open cone ``{w : s_k a_k . w > 0 for all k}`` non-empty, and which point is
inside?  For the rows ``a_k`` of an arrangement and a sign vector ``s`` this decides
whether ``s`` is a chamber (for an affine arrangement use its cone, see
:func:`zonotope.arrangement._as_central`).  The answer is exact:

1. **Float LP, balanced.**  ``max t`` subject to ``s_k a_k . u >= t``,
   ``-1 <= u_j <= 1``, ``t <= 1``, solved by HiGHS (:func:`scipy.optimize.linprog`) on
   the matrix ``M = diag(s) A`` rescaled by powers of two on both sides,
   ``R M C`` (rows and columns equilibrated in the log domain, so data at ``1e-300``,
   ``1e300`` or with columns of very different size all reach the LP with entries of
   comparable magnitude; powers of two change no sign and round nothing).  The point
   is ``w = C u``.
2. **Positive answer, checked exactly.**  The signs of ``a_k . w`` are decided by the
   exact predicate :func:`zonotope._exact.dot_signs` (exact at every magnitude, also
   for rows whose float copy lost bits); the LP's margin itself decides nothing, so
   no tolerance or threshold enters.
3. **Negative answer, certified.**  By Gordan's theorem the cone is empty iff some
   ``y >= 0, y != 0`` has ``sum_k y_k s_k a_k = 0``.  The LP's dual multipliers point
   at the support of such a ``y``; the exact null space of those rows (integer
   representatives of the ``a_k``) confirms it when it is spanned by one vector of
   constant sign.
4. **Fallback.**  When neither check succeeds (a chamber thinner than the float LP can
   see, or a degenerate dual), the exact rational simplex of
   :mod:`zonotope._lp_exact` decides, and returns an exact point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _exact
from ._balance import balance_log2 as _balance_log
from ._lp_exact import exact_interior_point

__all__ = ["Interior", "balance", "interior_point", "max_margin"]

@dataclass(frozen=True)
class Interior:
    """The exact answer of :func:`interior_point`.

    Attributes
    ----------
    feasible : bool
        Whether the open cone is non-empty (exact).
    point : ndarray of float or None
        A float point certified exactly to lie in the cone (None when infeasible, or
        when the cone contains no float point near the exact one found).
    exact_point : list of Fraction or None
        An exact interior point, given when no float point could be certified.
    method : str
        What decided: ``"lp"`` (float point checked exactly), ``"gordan"`` (exact
        Gordan certificate of emptiness), ``"exact"`` (rational simplex) or
        ``"trivial"`` (no rows).
    """

    feasible: bool
    point: np.ndarray | None
    exact_point: list | None
    method: str


def balance(M):
    """Power-of-two exponents ``(r, c)`` making ``2^r_i |M_ij| 2^c_j`` of comparable size.

    Ruiz equilibration in the log domain (no overflow, whatever the magnitudes): each
    sweep halves the log of every row and column maximum; a last row step puts every
    row maximum in ``[0.5, 1)``.  Zero rows and columns get exponent 0.

    Examples
    --------
    >>> M = np.array([[1e-300, 1.0], [3e-300, 2.0]])
    >>> r, c = balance(M)
    >>> B = np.abs(np.ldexp(M, r[:, None] + c[None, :]))
    >>> bool(np.all((B.max(axis=1) >= 0.5) & (B.max(axis=1) < 1))), bool(B.min() > 0.1)
    (True, True)
    """
    M = np.asarray(M, dtype=np.float64)
    nz = M != 0
    with np.errstate(divide="ignore"):
        L = np.where(nz, np.log2(np.abs(np.where(nz, M, 1.0))), -np.inf)
    return _balance_log(L)


def _int_log2(z):
    """``log2 |z|`` of a Python int (``-inf`` for 0), for ints of any size."""
    if z == 0:
        return -np.inf
    b = abs(z).bit_length()
    if b <= 1000:
        return float(np.log2(float(abs(z))))
    return float(np.log2(float(abs(z) >> (b - 60)))) + (b - 60)


def _int_ldexp(z, k):
    """The float nearest-ish to ``z * 2^k`` (``z`` a Python int of any size; no overflow)."""
    b = abs(z).bit_length()
    if b > 60:
        return float(np.ldexp(float(z >> (b - 60)), int(np.clip(k + b - 60, -2000, 2000))))
    return float(np.ldexp(float(z), int(np.clip(k, -2000, 2000))))


def _balanced(er, cols, signs):
    """The balanced LP matrix ``B = 2^r diag(signs) A 2^c`` and the column exponents ``c``.

    From the float rows of ``er`` when they are exact copies; from the exact integer
    rows otherwise (a float copy normalised per row may have lost tiny entries).
    """
    if not er.lossy:
        M = er.F[cols] * signs[:, None]
        r, c = balance(M)
        return np.ldexp(M, np.clip(r[:, None] + c[None, :], -2000, 2000)), c
    Z = _rows_exact(er, cols, signs)
    L = np.array([[_int_log2(z) for z in row] for row in Z]).reshape(len(Z), er.dim)
    r, c = _balance_log(L)
    B = np.array([[_int_ldexp(z, int(r[i] + c[j])) for j, z in enumerate(row)] for i, row in enumerate(Z)])
    return B.reshape(len(Z), er.dim), c


def _solve_balanced(B, c):
    """HiGHS on ``max t`` s.t. ``B u >= t``, ``|u|_inf <= 1``, ``t <= 1``: ``(t, w = 2^c u, y)``."""
    from scipy.optimize import linprog

    m, n = B.shape
    A_ub = np.hstack([-B, np.ones((m, 1))])
    try:
        res = linprog(np.r_[np.zeros(n), -1.0], A_ub=A_ub, b_ub=np.zeros(m),
                      bounds=[(-1.0, 1.0)] * n + [(None, 1.0)], method="highs")
    except ValueError:  # pragma: no cover - HiGHS rejects the problem (non-finite data)
        return None, None, None
    if res.status != 0 or res.x is None:
        return None, None, None
    with np.errstate(over="ignore"):
        w = np.ldexp(res.x[:n], np.clip(c, -2000, 2000))
    y = None
    marg = getattr(getattr(res, "ineqlin", None), "marginals", None)
    if marg is not None:
        y = np.maximum(-np.asarray(marg, dtype=np.float64), 0.0)
    return float(-res.fun), w, y


def max_margin(M):
    """The float LP ``max t`` s.t. ``M u >= t``, ``|u|_inf <= 1``, ``t <= 1`` on a balanced ``M``.

    Parameters
    ----------
    M : ndarray, shape (n_rows, dim)
        Rows ``s_k a_k`` (float).

    Returns
    -------
    t : float or None
        The optimal margin in the balanced units (None if HiGHS failed).
    w : ndarray or None
        The maximiser in the original coordinates, ``w = C u``.
    y : ndarray or None
        Dual multipliers ``>= 0`` of the rows (a Gordan certificate when ``t <= 0``).

    Examples
    --------
    >>> t, w, y = max_margin(np.array([[1.0, 0.0], [0.0, 1e-200]]))
    >>> t                      # without balancing the margin would be 1e-200
    0.5
    >>> bool(w[1] > 1e60)      # the second coordinate is scaled up
    True
    """
    M = np.asarray(M, dtype=np.float64)
    r, c = balance(M)
    return _solve_balanced(np.ldexp(M, np.clip(r[:, None] + c[None, :], -2000, 2000)), c)


def _rows_exact(er, cols, signs):
    """Integer rows ``s_k z_k`` (``z_k`` a positive multiple of row ``cols[k]``)."""
    return [[int(s) * v for v in er.zrow(int(i))] for i, s in zip(cols, signs)]


def _signs_ok(er, cols, signs, w):
    """Exactly: ``sign(row_k . w) == signs[k]`` for every k."""
    if w is None or not np.all(np.isfinite(w)):
        return False
    got = _exact.dot_signs(er, cols, np.asarray(w, dtype=np.float64)[None])[0]
    return bool(np.all(got == signs))


def _gordan(er, cols, signs, y):
    """True when the support of ``y`` carries an exact Gordan certificate of emptiness."""
    if y is None or not np.any(y > 0):
        return False
    top = float(y.max())
    for cut in (1e-9, 1e-6, 1e-12):
        S = np.nonzero(y > cut * top)[0]
        if S.size == 0 or S.size > er.dim + 1:
            continue
        rows = _rows_exact(er, cols[S], signs[S])
        # y with sum_k y_k rows_k = 0: the null space of the matrix whose columns are the rows
        basis = _exact.exact_nullspace([list(col) for col in zip(*rows)], len(rows))
        if len(basis) != 1:
            continue
        v = basis[0]
        if all(x > 0 for x in v) or all(x < 0 for x in v):
            return True
    return False


def interior_point(er, cols, signs):
    """Exactly decide whether ``{w : signs[k] * rows[cols[k]] . w > 0}`` is non-empty.

    Parameters
    ----------
    er : zonotope._exact.ExactRows
        The rows (any positive multiples; only directions matter).
    cols : int array, shape (n,)
        Which rows take part.
    signs : array of +-1, shape (n,)

    Returns
    -------
    Interior

    Examples
    --------
    >>> er = _exact.ExactRows(np.array([[1.0, 0.0], [1.0, 1e-300]]))
    >>> interior_point(er, np.arange(2), np.array([1, -1])).feasible   # a thin wedge
    True
    >>> interior_point(er, np.arange(2), np.array([1, 1])).method
    'lp'
    >>> er2 = _exact.ExactRows(np.array([[1.0, 0.0], [2.0, 0.0]]))
    >>> res = interior_point(er2, np.arange(2), np.array([1, -1]))      # parallel rows
    >>> res.feasible, res.method
    (False, 'gordan')
    """
    cols = np.asarray(cols, dtype=np.intp).reshape(-1)
    signs = np.asarray(signs).astype(np.int8).reshape(-1)
    if cols.size == 0:
        return Interior(True, np.ones(er.dim), None, "trivial")
    t, w, y = _solve_balanced(*_balanced(er, cols, signs))
    if t is not None and _signs_ok(er, cols, signs, w):
        return Interior(True, w, None, "lp")
    if _gordan(er, cols, signs, y):
        return Interior(False, None, None, "gordan")
    x = exact_interior_point([er.zrow(int(i)) for i in cols], [int(s) for s in signs])
    if x is None:
        return Interior(False, None, None, "exact")
    for cand in _exact.float_candidates(x):
        if _signs_ok(er, cols, signs, cand):
            return Interior(True, cand, None, "exact")
    return Interior(True, None, x, "exact")
