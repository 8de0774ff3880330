"""The enumeration drivers behind :func:`zonotope.enumerate_chambers` (internal).

Preprocessing of a central arrangement (distinct lines, lineality, rank), one run of
the (lattice) sweep, the certified interior points of central and affine chambers (one
certificate per antipodal pair), the exact power-of-two column balancing applied
before the sweep, and the LP reference enumerator.  :mod:`zonotope.chambers` holds the
public functions, their guards and :class:`~zonotope.chambers.ChamberSet`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from . import _balance, _exact, _lp
from ._exact import float_candidates as _float_candidates
from ._exact import to_float as _to_float
from ._lsweep import LatticeSweep, lattice_levels
from ._sweep import NonGenericAux, Sweep, packed_order
from ._validation import check_rng
from .arrangement import _as_central
from .exceptions import ZonotopeError

#: Internal module: every name is private and imported by name by the enumerators.
__all__: list[str] = []

_AUX_BOUND = 2**26 - 1  # random auxiliary integers; P(c . r = 0) <= 1.5e-8 per ray
_MAX_RESTARTS = 25

# ---------------------------------------------------------------- preprocessing
@dataclass
class _Reduced:
    """A central arrangement reduced to distinct lines, with its lineality basis."""

    er: _exact.ExactRows
    n_classes: int
    cls: np.ndarray  # class of each original hyperplane (-1: zero normal)
    orient: np.ndarray  # +-1 orientation relative to the class representative
    lineality: list
    rank: int
    dim: int


def _canonical(z):
    i = next((k for k, v in enumerate(z) if v != 0), None)
    if i is None:
        return None, 0
    s = 1 if z[i] > 0 else -1
    return tuple(s * v for v in z), s


@lru_cache(maxsize=64)
def _screen_vector(dim):
    """The fixed vector ``g`` of :func:`_lone_directions`: pseudo-random entries in ``[1, 2)``.

    Fixed (a seeded generator), and without arithmetic structure: a vector in
    arithmetic progression modulo 1 (such as ``frac(k phi)``) gives equal values to
    the non-parallel rows ``e_i - e_j`` and ``e_{i+1} - e_{j+1}`` of Shi, Catalan or
    braid arrangements, which would then all take the exact route.
    """
    g = np.random.default_rng(0x5C4EE7).uniform(1.0, 2.0, size=dim)
    g.flags.writeable = False
    return g


def _lone_directions(canon):
    """``True`` for the rows that are certainly not parallel to any other row.

    ``canon``: float rows with their first non-zero entry positive, so that parallel
    rows are positive multiples of each other and have the same unit vector ``u``.
    Each row is summarised by ``u . g`` for a fixed vector ``g`` with entries in
    ``[1, 2)``; computed in floating point its error is below ``(dim + 8) 2^-52 * 2
    sqrt(dim)``, below ``2^-30`` for ``dim <= 10^4`` (larger ``dim``: no screen), far
    below the gap ``2^-24``.  After sorting,
    a row whose value differs from both neighbours by more than the gap is parallel
    to no other row.  The rest (``False``) is decided exactly by the caller.
    """
    out = np.zeros(canon.shape[0], dtype=bool)
    live = np.nonzero(np.any(canon != 0, axis=1))[0]  # zero rows belong to no class
    n = live.size
    if n == 0 or canon.shape[1] == 0:
        return out
    C = canon[live]
    dim = C.shape[1]
    if dim > 10_000:  # keep the rounding error (< (dim + 8) 2^-52 * 2 sqrt(dim)) below 2^-30
        return out
    g = _screen_vector(dim)
    with np.errstate(all="ignore"):
        nrm = np.sqrt(np.einsum("ij,ij->i", C, C))
        u = (C @ g) / nrm
    if not np.all(np.isfinite(u)) or not np.all(nrm > 1e-150):
        return out  # extreme magnitudes (not after the normalisation): all exact
    order = np.argsort(u, kind="stable")
    gap = np.diff(u[order]) > 2.0 ** -24
    alone = np.ones(n, dtype=bool)
    alone[1:] &= gap
    alone[:-1] &= gap
    out[live[order]] = alone
    return out


def _int_rank_lineality(er, rows, dim):
    """Exact rank and lineality basis (null space) of the integer rows ``rows`` of ``er``.

    Candidate independent rows are picked in floating point (Gram-Schmidt with
    pivoting: the row of largest residual next); their fraction-free elimination
    gives their exact rank ``r`` and the null space ``N`` of their span.  If every
    row is exactly orthogonal to ``N`` (checked in integer arithmetic), all rows lie
    in ``N^perp``, the span of the ``r`` candidates: the rank is ``r`` and ``N`` is
    the null space of all rows.
    Otherwise (a bad float pick) every row goes through the elimination.  The basis
    does not depend on the route: it is the primitive basis of :func:`exact_nullspace`,
    a function of the row space only.
    """
    if rows.size > 2 * dim:
        Fw = er.F[rows].copy()
        n0 = np.einsum("ij,ij->i", Fw, Fw)
        res = n0.copy()
        pick = []
        for _ in range(dim):
            i = int(np.argmax(res))
            if not res[i] > 2.0 ** -60 * n0[i]:  # every residual negligible: the rest is dependent
                break
            pick.append(i)
            q = Fw[i] / np.sqrt(res[i])
            Fw -= np.outer(Fw @ q, q)
            res = np.einsum("ij,ij->i", Fw, Fw)
            res[pick] = 0.0
        cand = rows[np.sort(np.array(pick, dtype=np.intp))]
        E, piv, _ = _exact.echelon([er.zrow(int(i)) for i in cand])
        lin = _exact.echelon_nullspace(E, piv, dim) if len(piv) < dim else []
        if _orthogonal(er, rows, lin):
            return len(piv), lin
    E, piv, _ = _exact.echelon([er.zrow(int(i)) for i in rows])
    return len(piv), (_exact.echelon_nullspace(E, piv, dim) if len(piv) < dim else [])


def _orthogonal(er, rows, vecs):
    """``True`` iff every integer row ``rows`` of ``er`` is orthogonal to every vector (exact)."""
    if not vecs:
        return True
    V = np.array(vecs, dtype=object)
    vmax = max(abs(int(v)) for v in V.flat)
    F = er.F[rows]  # exact integers below 2^40 (int_mode)
    fmax = float(np.abs(F).max(initial=0.0))
    if vmax < 2**40 and fmax * vmax * F.shape[1] < 2.0**52:
        # every product and partial sum is an integer below 2^52: exact in float64
        return not np.any(F @ V.astype(np.float64).T)
    return all(sum(x * y for x, y in zip(er.zrow(int(i)), v)) == 0 for i in rows for v in vecs)


def _reduce(normals, aux_rows):
    """Merge parallel normals, find the rank and a lineality basis, attach aux rows."""
    er0 = _exact.ExactRows(normals)
    n_h, dim = normals.shape
    cls = np.full(n_h, -1, dtype=np.intp)
    orient = np.zeros(n_h, dtype=np.int8)
    reps = {}
    rep_rows = []
    if normals.dtype != object and not er0.lossy:
        # fast path: exact equality of rows after power-of-two normalisation + sign
        F = er0.F
        first = np.argmax(F != 0, axis=1)
        sg = np.sign(F[np.arange(n_h), first]).astype(np.int8)
        canon = F * sg[:, None]
        lone = _lone_directions(canon)
        # rows equal as floats after pow2 normalisation are parallel; others may still be
        # parallel (e.g. 1 and 3 scaling), so confirm with exact integer canonical forms
        for i in range(n_h):
            if sg[i] == 0:
                continue
            if lone[i]:  # no other row is parallel to it: a class of its own
                cls[i] = len(rep_rows)
                rep_rows.append(i)
                orient[i] = sg[i]
                continue
            key = canon[i].tobytes()
            if key in reps:
                cls[i] = reps[key]
                orient[i] = sg[i]
                continue
            zk, s = _canonical(er0.zrow(i))
            zkey = ("z",) + zk
            if zkey in reps:
                cls[i] = reps[zkey]
            else:
                cls[i] = len(rep_rows)
                rep_rows.append(i)
                reps[zkey] = cls[i]
            reps[key] = cls[i]
            orient[i] = s
    else:
        for i in range(n_h):
            zk, s = _canonical(er0.zrow(i))
            if zk is None:
                continue
            if zk not in reps:
                reps[zk] = len(rep_rows)
                rep_rows.append(i)
            cls[i] = reps[zk]
            orient[i] = s
    # orientation relative to the representative
    rep_sign = np.array([orient[r] for r in rep_rows], dtype=np.int8)
    for i in range(n_h):
        if cls[i] >= 0:
            orient[i] = orient[i] * rep_sign[cls[i]]
    rep_rows = np.array(rep_rows, dtype=np.intp)
    lin = []
    if rep_rows.size and er0.int_mode:
        rank, lin = _int_rank_lineality(er0, rep_rows, dim)
    else:
        rank = _exact.exact_rank(er0, rep_rows) if rep_rows.size else 0
        if rank < dim:
            lin = _exact.exact_nullspace([er0.zrow(int(i)) for i in rep_rows], dim)
    R = normals[rep_rows]
    aux = lin + [list(map(int, a)) for a in aux_rows[: dim - len(lin)]]
    big = any(abs(v) >= 2**50 for a in lin for v in a)
    if normals.dtype == object or big:
        allrows = np.empty((len(rep_rows) + len(aux), dim), dtype=object)
        if normals.dtype == object:
            allrows[: len(rep_rows)] = R
        else:
            allrows[: len(rep_rows)] = [[Fraction(float(v)) for v in r] for r in R]
        for j, a in enumerate(aux):
            allrows[len(rep_rows) + j] = a
        er = _exact.ExactRows(allrows)
    else:
        er = _exact.ExactRows(np.vstack([R, np.array(aux, dtype=np.float64).reshape(-1, dim)]))
    return _Reduced(er, len(rep_rows), cls, orient, lin, rank, dim)


def _sweep_run(N, rng, want_points, keep_row=None):
    """One run of the (lattice) sweep on the central normals ``N``: ``(red, packed, points, n_exact)``.

    ``packed``: bit rows on the distinct classes of ``red``; points uncertified.
    ``keep_row``: the lattice sweep yields only the chambers on the positive side of
    this hyperplane (the others may or may not be returned).
    """
    n_h, dim = N.shape
    gen = check_rng(rng)
    lattice = None
    for _attempt in range(_MAX_RESTARTS):
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        red = _reduce(N, aux)
        k0 = len(red.lineality)
        aux_idx = list(range(red.n_classes, red.n_classes + dim))
        if lattice is None:
            lattice = _lattice_for_sweep(red)
        try:
            if lattice:
                keep = None
                if keep_row is not None:
                    keep = (int(red.cls[keep_row]), bool(red.orient[keep_row] > 0))
                sw = LatticeSweep(red.er, aux_idx, red.n_classes, lattice, want_points, keep)
                packed_red, p_red = sw.all_chambers()
            else:
                sw = Sweep(red.er, aux_idx, want_points)
                packed_red, p_red = sw.all(np.arange(red.n_classes), k0)
        except NonGenericAux:
            continue
        return red, packed_red, p_red, sw.n_exact
    raise ZonotopeError(  # pragma: no cover - probability ~0
        "could not find generic auxiliary vectors; please report this input")


def _bit(packed, j):
    """Bit ``j`` of every packed row (``numpy.packbits`` order), as bool."""
    return (packed[:, j // 8] & np.uint8(1 << (7 - j % 8))) != 0


def _small_int_floats(N):
    """``N`` as float64 when it is an object array of small Python integers (exactly equal).

    Integers below ``2^40`` are floats without rounding, and :class:`_exact.ExactRows`
    treats integer-valued float rows as exact integers (no fraction arithmetic).
    """
    if N.dtype != object:
        return N
    lim = 1 << 40
    if all(type(v) is int and -lim < v < lim for v in N.flat):
        return N.astype(np.float64)
    return N


def _enumerate_sweep_final(arr, N, cone, rng, want_points):
    r"""The sweep's chambers of ``arr`` (cone normals ``N``), sorted, with certified points.

    Two exact shortcuts keep the per-chamber work to what the answer needs:

    * The normals are first scaled by powers of two per column
      (:func:`zonotope._balance.column_balance`, a sign-preserving change of variables
      ``w = D w'``): the sign vectors are those of ``arr`` and a point ``w'`` of a
      scaled chamber maps to ``D w'``.  Without it, data scaled by ``2^-60`` (a
      homogenising column ``2^60`` times the others) defeats the float filters.
    * Central arrangement: chambers come in pairs ``{C, -C}`` and exactly one of each
      pair has bit 0 (hyperplane 0) clear.  Only those, ``C``, are expanded, sorted and
      certified; the others are their complements.  The point of ``-C`` is ``-p``
      with ``p`` the certified point of ``C``: negating a float is exact, and
      ``a . (-p) = -(a . p)`` exactly, so ``sign(a_i . (-p)) = -sign(a_i . p)`` is the
      sign vector of ``-C`` for every ``i`` (an exact certificate, nothing rounded).
      Complementing every bit reverses the lexicographic order of rows of one width
      (the first differing bit flips), so the sorted list is the sorted ``C`` rows
      followed by their complements in reverse order.
    * Affine arrangement (a cone ``t > 0``): only the chambers with ``t > 0`` are
      kept before anything else, and their points are dehomogenised first and
      certified once, against the affine hyperplanes (``(x, 1)`` against ``(a_i, -b_i)``);
      only a point that fails goes through the cone certificate and the repairs.
    """
    n_h, dim = N.shape
    if n_h == 0:  # central, no hyperplane: one chamber
        pts = np.zeros((1, dim)) if want_points else None
        return np.zeros((1, 0), dtype=np.uint8), pts, 0, {}
    N = _small_int_floats(N)
    Nb, c = _balance.column_balance(N)
    red, P, p, n_exact = _sweep_run(Nb, rng, want_points, n_h - 1 if cone else None)
    # one chamber of each pair {C, -C} (central) / the chambers with t > 0 (cone)
    j = n_h - 1 if cone else 0
    keep = _bit(P, int(red.cls[j])) == (bool(red.orient[j] > 0) if cone else bool(red.orient[j] < 0))
    # (np.compress / np.take: several times faster than boolean / fancy row indexing)
    P = np.compress(keep, P, axis=0)
    p = None if p is None else np.compress(keep, p, axis=0)
    trivial = (red.n_classes == n_h and np.array_equal(red.cls, np.arange(n_h))
               and bool(np.all(red.orient == 1)))
    packed = P if trivial else _expand_packed(red, P, n_h)
    if cone:  # drop the bit of t = 0 (the last one; it is set in every kept row)
        last = n_h - 1
        byte, mask = last // 8, np.uint8(1 << (7 - last % 8))
        if last % 8 == 0:
            packed = packed[:, :byte]
        else:
            packed = packed.copy() if packed is P else packed
            packed[:, byte] &= ~mask
    packed = np.ascontiguousarray(packed)
    if packed.shape[1] and packed.shape[0] > 1:
        order = packed_order(packed)
        trivial_view = packed is P
        packed = np.take(packed, order, axis=0)
        P = packed if trivial_view else np.take(P, order, axis=0)
        p = None if p is None else np.take(p, order, axis=0)
    exact_pts = {}
    if want_points:
        if cone:
            p, exact_pts = _affine_points(arr, N, red, c, packed, P, p)
        else:
            p, exact_pts = _central_points(N, red, c, P, p)
    if not cone:
        M = packed.shape[0]
        pad = np.zeros(packed.shape[1], dtype=np.uint8)
        if n_h % 8:
            pad[-1] = (1 << (8 - n_h % 8)) - 1
        out = np.empty((2 * M, packed.shape[1]), dtype=np.uint8)
        out[:M] = packed
        np.invert(packed[::-1], out=out[M:])
        out[M:] ^= pad
        packed = out
        if want_points:
            q = np.empty((2 * M, p.shape[1]))
            q[:M] = p
            np.negative(p[::-1], out=q[M:])
            p = q
            exact_pts.update({2 * M - 1 - r: [-v for v in w] for r, w in list(exact_pts.items())})
    return np.ascontiguousarray(packed), p, n_exact, exact_pts


def _original_red(N, red, c):
    """The reduction of the unscaled normals (same classes and orientations as ``red``)."""
    if c is None:
        return red
    return _reduce(N, np.zeros((0, N.shape[1]), dtype=int))


def _central_points(N, red, c, P, p):
    """Certify the points ``p`` (balanced coordinates) of the reduced rows ``P``; map back.

    A point certified for the scaled rows ``a_i D`` and mapped back exactly (``D p``
    without over- or underflow, checked) is certified for ``a_i``; the rest (rare) is
    repaired by the max-margin LP on the unscaled rows.
    """
    ok = _exact.points_match(red.er, np.arange(red.n_classes), p, packed=P)
    if c is not None:
        p, exact_map = _balance.scale_points_back(p, c)
        ok &= exact_map
    bad = np.nonzero(~ok)[0]
    return p, (_lp_repair(_original_red(N, red, c), P, p, bad) if bad.size else {})


def _lp_repair(red, packed_red, pts, bad):
    """Replace the points ``pts[bad]`` by the certified answer of the max-margin LP.

    ``packed_red``: the chambers' packed sign rows on the classes of ``red``.  Returns
    ``{row: exact point}`` for the chambers whose LP answer is an exact rational point
    (its float rounding is stored in ``pts``).
    """
    cols = np.arange(red.n_classes)
    exact = {}
    for b in np.asarray(bad).tolist():
        s_red = 2 * np.unpackbits(packed_red[b], count=red.n_classes).astype(np.int8) - 1
        res = _lp.interior_point(red.er, cols, s_red)
        if not res.feasible:  # pragma: no cover - the sweep only yields chambers
            raise ZonotopeError("a chamber of the sweep has no interior point; please report this input")
        if res.point is not None:
            pts[b] = res.point
        else:
            pts[b] = np.array([_to_float(v) for v in res.exact_point])
            exact[b] = res.exact_point
    return exact


def _affine_points(arr, N, red, c, packed, P, p):
    """Points of the affine chambers ``packed`` (sorted) from the cone points ``p``.

    ``x = p[:-1] / p[-1]`` (in original coordinates: ``x_j = 2^(c_j - c_t) p_j / p_t``)
    is certified directly against the affine hyperplanes; a point that fails (rare)
    goes through the cone certificate (:func:`_certify_points`, LP repair) and
    :func:`_dehomogenise` with exact rational cone points.
    """
    n = arr.n_hyperplanes
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        X = p[:, :-1] / p[:, -1:]
        if c is not None:
            X = np.ldexp(X, (c[:-1] - c[-1])[None, :].astype(np.int32))
    good = np.all(np.isfinite(X), axis=1) & (p[:, -1] > 0)
    if n:
        er = _exact.ExactRows(N)
        cols = np.arange(n)
        idx = np.nonzero(good)[0]
        if idx.size:
            Xh = np.empty((idx.size, X.shape[1] + 1))
            Xh[:, :-1] = X[idx]
            Xh[:, -1] = 1.0
            good[idx] = _exact.points_match(er, cols, Xh, packed=packed[idx])
    exact = {}
    bad = np.nonzero(~good)[0]
    if bad.size:
        # the old route, in original coordinates: a certified cone point (the mapped sweep
        # point, else the max-margin LP on the unscaled rows), then dehomogenised exactly
        red0 = _original_red(N, red, c)
        q = p[bad].copy()
        if c is not None:
            q, _ = _balance.scale_points_back(q, c)
            q[~np.all(np.isfinite(q), axis=1)] = 0.0
        q, ex = _certify_points(red0, P[bad], q)
        Xb, exb = _dehomogenise(arr, packed[bad], q, ex)
        if exb:
            # no certified float after dehomogenising (e.g. the mapped point is far out):
            # the max-margin LP's cone point in original coordinates, as the old route
            redo = np.array(sorted(exb), dtype=np.intp)
            q2, ex2 = _certify_points(red0, P[bad[redo]], np.zeros((redo.size, N.shape[1])))
            X2, exb2 = _dehomogenise(arr, packed[bad[redo]], q2, ex2)
            for a, r in enumerate(redo.tolist()):
                if a not in exb2:
                    Xb[r] = X2[a]
                    del exb[r]
                    continue
                # beyond the float range: the exact point rounded, infinities clipped to
                # the largest finite floats (a candidate, checked exactly)
                cand = np.nan_to_num(np.array([_to_float(v) for v in exb[r]]))[None]
                sb = 2 * np.unpackbits(packed[bad[r]], count=n).astype(np.int8) - 1
                if np.all(arr.sign_vectors(cand) == sb):
                    Xb[r] = cand[0]
                    del exb[r]
        X[bad] = Xb
        exact = {int(bad[a]): w for a, w in exb.items()}
    return X, exact


def _row_chunks(n_rows, width):
    """Row ranges whose unpacked size (``width`` bytes per row) stays near 16 MiB."""
    step = max(1, (1 << 24) // max(1, width))
    for lo in range(0, n_rows, step):
        yield lo, min(n_rows, lo + step)


def _expand_packed(red, packed_red, n_h):
    """Packed rows of the reduced arrangement -> packed rows on the original hyperplanes.

    Chunked, so the transient unpacked signs stay bounded (packed output: ``n_h / 8``
    bytes per chamber).
    """
    out = np.empty((packed_red.shape[0], (n_h + 7) // 8), dtype=np.uint8)
    for lo, hi in _row_chunks(packed_red.shape[0], n_h):
        s = np.unpackbits(packed_red[lo:hi], axis=1, count=red.n_classes).astype(bool)
        out[lo:hi] = np.packbits(s[:, red.cls] == (red.orient > 0), axis=1)
    return out


def _final_packed(red, s, cone, n_h):
    """Packed sign rows on the original hyperplanes (classes expanded; cone: ``t > 0`` part)."""
    trivial = (red.n_classes == n_h and np.array_equal(red.cls, np.arange(n_h))
               and bool(np.all(red.orient == 1)))
    signs = s if trivial else s[:, red.cls] * red.orient
    if cone:
        signs = signs[signs[:, -1] > 0, :-1]
    return np.packbits(signs > 0, axis=1)


def _lattice_for_sweep(red, max_flats=None):
    """The lattice data of the lattice-driven sweep, or ``False`` to use the plain sweep.

    The lattice-driven sweep (:mod:`zonotope._lsweep`) is used when the distinct
    normals are small integers (fast exact modular ranks: integer and rational
    data, grids, Shi/Catalan/resonance arrangements) and the arrangement has rank
    at least 2; other input (float data) goes through the plain sweep.
    """
    from ._flats import _P_SMALL, _small_prime_ok

    K = red.n_classes
    if K == 0 or red.rank < 2:
        return False
    # a row of squared norm >= q^2 for the largest small prime q puts the Hadamard bound
    # above every q^2 (the other rows are non-zero integers): stop at the first one, so
    # float data do not pay for the exact integer form of every row
    qmax2 = max(_P_SMALL) ** 2
    rows = []
    for i in range(K):
        z = red.er.zrow(i)
        if sum(v * v for v in z) >= qmax2:
            return False
        rows.append(z)
    if not _small_prime_ok(rows, red.dim):
        return False
    if max_flats is not None and red.n_classes > 64 * max_flats:
        return False
    return lattice_levels(rows, red.dim, max_flats, rank=red.rank) or False


def _certify_points(red, packed_red, pts):
    """Check every interior point exactly; repair failures.

    A failing float point is replaced by the certified answer of the max-margin LP
    (:func:`zonotope._lp.interior_point`: a float point checked exactly, or an exact
    rational point from the exact simplex).  Returns ``(pts, exact)`` where ``exact``
    maps row -> exact point (list of Fraction) for the rows whose chamber contains no
    certified float point near it.
    """
    ok = _exact.points_match(red.er, np.arange(red.n_classes), pts, packed=packed_red)
    return pts, _lp_repair(red, packed_red, pts, np.nonzero(~ok)[0])


def _dehomogenise(arr, packed, pts, exact_pts):
    """Points ``x = p[:-1] / p[-1]`` of the affine chambers from the cone's certified points.

    The cone's point ``p`` (certified, exactly or as a float) has ``p[-1] > 0``, so
    ``x`` computed in rationals is exactly inside the affine chamber; its float rounding
    is kept when it certifies, otherwise ``x`` is recorded as an exact point.
    """
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        X = pts[:, :-1] / pts[:, -1:]
    good = np.all(np.isfinite(X), axis=1)
    if arr.n_hyperplanes and good.any():
        # exact check of (x, 1) against the cone rows (a_i, -b_i): float filter first
        N, _ = _as_central(arr)
        er = _exact.ExactRows(N)
        cols = np.arange(arr.n_hyperplanes)
        for lo, hi in _row_chunks(X.shape[0], arr.n_hyperplanes):
            idx = np.nonzero(good[lo:hi])[0] + lo
            if idx.size:
                bits = np.unpackbits(packed[idx], axis=1, count=arr.n_hyperplanes)
                Xh = np.hstack([X[idx], np.ones((idx.size, 1))])
                good[idx] = _exact.points_match(er, cols, Xh, bits)
    exact = {}
    for b in np.nonzero(~good)[0]:
        b = int(b)
        P = exact_pts[b] if b in exact_pts else [Fraction(float(v)) for v in pts[b]]
        x = [v / P[-1] for v in P[:-1]]
        cand = _float_candidates(x)
        sb = 2 * np.unpackbits(packed[b], count=arr.n_hyperplanes).astype(np.int8) - 1
        good = np.all(arr.sign_vectors(cand) == sb, axis=1) if len(cand) else np.zeros(0, bool)
        if np.any(good):
            X[b] = cand[int(np.argmax(good))]
        else:
            X[b] = np.array([_to_float(v) for v in x])
            exact[b] = x
    return X, exact


def _enumerate_lp(N):
    """Reference: BFS over chambers; neighbours by flipping one parallel class + LP.

    Each candidate sign vector is decided exactly by :func:`zonotope._lp.interior_point`
    (scale-invariant float LP, exact sign check, exact Gordan certificate, exact simplex
    as the last resort), so thin chambers are found at any magnitude.  Returns
    ``(signs, points, n_exact, exact_points)``.
    """
    n_h, dim = N.shape
    if n_h == 0:
        return np.zeros((1, 0), dtype=np.int8), np.zeros((1, dim)), 0, {}
    red = _reduce(N, np.zeros((0, dim), dtype=int))
    er = red.er
    cols = np.arange(red.n_classes)
    if red.rank == 0:
        return np.zeros((1, n_h), dtype=np.int8), np.zeros((1, dim)), 0, {}
    # start: a random point, certified off every hyperplane
    gen = np.random.default_rng(12345)
    while True:
        p = gen.standard_normal(dim)
        s0 = _exact.dot_signs(er, cols, p[None])[0]
        if np.all(s0 != 0):
            break
    seen = {s0.tobytes(): (p, None)}
    queue = [s0]
    n_exact = 0
    while queue:
        s = queue.pop()
        for j in range(red.n_classes):
            t = s.copy()
            t[j] = -t[j]
            key = t.tobytes()
            if key in seen:
                continue
            res = _lp.interior_point(er, cols, t)
            n_exact += res.method == "exact"
            if res.feasible:
                seen[key] = (res.point, res.exact_point)
                queue.append(t)
    S = np.array([np.frombuffer(k, dtype=np.int8) for k in seen])
    P = np.array([w if w is not None else [_to_float(v) for v in x] for w, x in seen.values()],
                 dtype=np.float64).reshape(len(seen), dim)
    exact_pts = {k: x for k, (w, x) in enumerate(seen.values()) if w is None}
    signs = np.zeros((S.shape[0], n_h), dtype=np.int8)
    ok = red.cls >= 0
    signs[:, ok] = S[:, red.cls[ok]] * red.orient[ok]
    return signs, P, n_exact, exact_pts
