"""SageMath (passagemath) as a peer for the chamber benchmark: optional helper.

Install: ``pip install passagemath-polyhedra`` (pulls passagemath-modules,
-categories, -objects, -glpk, -ppl, -environment, gmpy2, cysignals, Cython, ...).
Everything here works from plain Python; the one non-obvious step is that
``sage.all__sagemath_polyhedra`` must be imported first (it initialises the Sage
library; without it building an arrangement fails with
``AttributeError: module 'sage.rings' has no attribute 'real_double'``).

Conventions.  Our hyperplane ``i`` is ``{w : a_i . w = b_i}`` with positive side
``a_i . w > b_i``; Sage's hyperplane ``[c, a_1, ..., a_n]`` is ``c + a . x = 0``, so we
pass ``c = -b_i``.  Sage stores each hyperplane as a primitive integer vector, drops
repeated ones, *sorts* them, and refuses an arrangement holding both ``h`` and
``-h``; so we pass one canonical representative per distinct hyperplane and read
the sign vector of a region by evaluating *our* hyperplanes, in exact integer
arithmetic, at ``region.representative_point()`` (an interior point of the
full-dimensional region polyhedron).
"""

from __future__ import annotations

import time
from fractions import Fraction
from math import gcd, lcm

import numpy as np

try:  # pragma: no cover - depends on the optional install
    import sage.all__sagemath_polyhedra  # noqa: F401  (initialises Sage; must come first)
    from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
    from sage.rings.rational_field import QQ

    HAVE_SAGE = True
    SAGE_ERROR = None
except Exception as exc:  # ImportError, or a broken install
    HAVE_SAGE = False
    SAGE_ERROR = f"{type(exc).__name__}: {exc}"


def _frac(v):
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, (float, np.floating)):
        return Fraction(float(v))  # exact binary value
    p, q = getattr(v, "p", None), getattr(v, "q", None)  # sympy Rational
    if p is not None and q is not None:
        return Fraction(int(p), int(q))
    return Fraction(v)


def integer_rows(normals, offsets=None):
    """Rows ``[-b_i, a_i]`` scaled by a positive integer to Python ints (same signs)."""
    normals = [[_frac(v) for v in row] for row in normals]
    if offsets is None:
        offsets = [Fraction(0)] * len(normals)
    out = []
    for a, b in zip(normals, offsets):
        row = [-_frac(b)] + a
        m = lcm(*(v.denominator for v in row))
        out.append([int(v * m) for v in row])
    return out


def _canonical(row):
    g = 0
    for v in row:
        g = gcd(g, v)
    row = [v // g for v in row]
    first = next(v for v in row if v != 0)
    return tuple(-v for v in row) if first < 0 else tuple(row)


def sage_arrangement(rows, dim):
    """Sage arrangement over QQ of the integer rows ``[c, a_1..a_dim]`` (deduplicated up to sign)."""
    if not HAVE_SAGE:
        raise RuntimeError(f"sage is not importable ({SAGE_ERROR})")
    H = HyperplaneArrangements(QQ, tuple(f"w{k}" for k in range(dim)))
    reps = sorted({_canonical(r) for r in rows if any(r[1:])})
    if any(not any(r[1:]) for r in rows):
        raise ValueError("a row with a zero normal is not a hyperplane")
    return H([list(map(QQ, r)) for r in reps]) if reps else H()


def region_points(regions):
    """Integer homogeneous interior points ``(t, t*p)``, ``t > 0``, one per region."""
    out = []
    for reg in regions:
        p = [Fraction(int(c.numerator()), int(c.denominator())) for c in reg.representative_point()]
        t = lcm(*(c.denominator for c in p)) if p else 1
        out.append([t] + [int(c * t) for c in p])
    return out


def sign_vectors(rows, points):
    """Exact signs of ``rows . points`` (Python ints): int8 array (n_points, n_rows)."""
    if not rows:
        return np.zeros((len(points), 0), dtype=np.int8)
    R = np.array(rows, dtype=object)
    P = np.array(points, dtype=object).reshape(len(points), R.shape[1])
    V = P.dot(R.T)
    return np.array([[(v > 0) - (v < 0) for v in r] for r in V], dtype=np.int8).reshape(V.shape)


def sage_chambers(normals, offsets=None, *, signs=True):
    """Regions of the arrangement in Sage.

    Returns ``(n_regions, seconds, sign_vectors or None)``; ``seconds`` times building
    the arrangement from prepared QQ data plus ``regions()`` (cached in Sage, so a
    fresh arrangement is built every call).
    """
    rows = integer_rows(normals, offsets)
    dim = len(rows[0]) - 1 if rows else None
    if dim is None:
        raise ValueError("give at least one hyperplane")
    t0 = time.perf_counter()
    A = sage_arrangement(rows, dim)
    regs = A.regions()
    sec = time.perf_counter() - t0
    if not signs:
        return len(regs), sec, None
    S = sign_vectors(rows, region_points(regs))
    return len(regs), sec, S
