"""Chambers of hyperplane arrangements: enumeration and counting.

Streaming enumeration in bounded memory is in :mod:`zonotope.streaming`; points,
activation patterns and exact membership of sign vectors in :mod:`zonotope.patterns`
(re-exported here).

Glossary (see ``docs/theory.md``): *chamber* = connected component of the
complement of the hyperplanes = *region* = *activation region*; its *sign vector*
(+1 on the positive side of each hyperplane) is, for the arrangement of a data set,
the *activation pattern* of a ReLU unit (+1 = active), and the chamber is the normal
cone of the zonotope vertex ``sum_{i active} x_bar_i``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from math import comb
from typing import TYPE_CHECKING

import numpy as np

from . import _balance
from ._enumerate import (
    _AUX_BOUND,
    _MAX_RESTARTS,
    _dehomogenise,
    _enumerate_lp,
    _enumerate_sweep_final,
    _reduce,
    _small_int_floats,
)
from ._sweep import NonGenericAux, Sweep, packed_order
from ._validation import check_rng
from .arrangement import Arrangement, _as_central
from .exceptions import TooLargeError, ValidationError, ZonotopeError
from .patterns import (
    _check_arr,
    activation_pattern,
    activation_patterns,
    chamber_of_point,
    is_chamber,
)

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = [
    "ChamberSet",
    "enumerate_chambers",
    "count_chambers",
    "estimate_chambers",
    "chamber_of_point",
    "activation_pattern",
    "activation_patterns",
    "is_chamber",
    "DEFAULT_MAX_CHAMBERS",
    "DEFAULT_MAX_WORK",
    "count_work",
]

DEFAULT_MAX_CHAMBERS = 5_000_000
#: Default limit of :func:`count_chambers` on its a-priori number of sign evaluations.
DEFAULT_MAX_WORK = 5_000_000_000
#: An enumeration may hold this many sign entries per chamber allowed by ``max_chambers``
#: (``n_chambers * n_hyperplanes`` signs: the output and the sweep's ray matrices).
_SIGNS_PER_CHAMBER = 1000
_COUNT_RAYS = 1 << 18  # rays per block of the counting sweep (memory ~ block * n_hyperplanes)


@dataclass(frozen=True, eq=False)
class ChamberSet:
    """The chambers of an arrangement, each once, with certified interior points.

    Attributes
    ----------
    arrangement : Arrangement
    packed : ndarray of uint8, shape (n_chambers, ceil(n_hyperplanes / 8))
        Bit-packed sign vectors (bit set = positive side), ``numpy.packbits`` order.
    interior_points : ndarray of float64, shape (n_chambers, dim) or None
        ``interior_points[k]`` lies strictly inside chamber ``k``, certified exactly,
        for every ``k`` not in :attr:`uncertified`.  A chamber thinner than the float
        grid near it (data one ulp off a line, hyperplanes beyond the float range) may
        contain no float point: it is listed in :attr:`uncertified` and
        :meth:`exact_interior_point` gives an exact rational point for it.
    method : str
    seconds : float
    n_exact_fallbacks : int
        Sign decisions the float filter could not certify (recomputed exactly).

    Examples
    --------
    >>> ch = enumerate_chambers(Arrangement([[1, 0], [0, 1]]))
    >>> len(ch), ch.packed.shape, ch.sign_vectors[0].tolist(), ch.index([1, -1])
    (4, (4, 1), [-1, -1], 2)
    >>> [1, 1] in ch, ch.uncertified.tolist()
    (True, [])
    """

    arrangement: Arrangement
    packed: np.ndarray
    interior_points: np.ndarray | None
    method: str
    seconds: float = 0.0
    n_exact_fallbacks: int = 0
    _extra: dict = field(default_factory=dict, repr=False)

    def __len__(self):
        return int(self.packed.shape[0])

    @property
    def uncertified(self) -> np.ndarray:
        """Indices of chambers whose float interior point is not certified (usually empty)."""
        return np.array(sorted(self._extra.get("exact_points", {})), dtype=np.intp)

    def exact_interior_point(self, k: int) -> list[Fraction]:
        """An exact interior point of chamber ``k`` (list of ``Fraction``).

        Examples
        --------
        >>> ch = enumerate_chambers(Arrangement([[1, 0], [0, 1]]))
        >>> [v > 0 for v in ch.exact_interior_point(3)]
        [True, True]
        """
        if self.interior_points is None:
            raise ValidationError("`exact_interior_point` needs a ChamberSet computed with "
                                  "interior_points=True.")
        k = int(k)
        ex = self._extra.get("exact_points", {})
        if k in ex:
            return list(ex[k])
        return [Fraction(float(v)) for v in self.interior_points[k]]

    @property
    def n_chambers(self) -> int:
        """Number of chambers."""
        return len(self)

    @cached_property
    def sign_vectors(self) -> np.ndarray:
        """int8 array (n_chambers, n_hyperplanes) with entries +-1 (unpacked on demand)."""
        n = self.arrangement.n_hyperplanes
        bits = np.unpackbits(self.packed, axis=1, count=n).astype(np.int8)
        s = 2 * bits - 1
        s.flags.writeable = False
        return s

    @cached_property
    def _index(self):
        return {k.tobytes(): i for i, k in enumerate(self.packed)}

    def index(self, sign_vector: ArrayLike) -> int:
        """Row index of the chamber with this sign vector (+-1 or 0/1 entries).

        Raises
        ------
        EmptyChamberError
            If no chamber has this sign vector.
        """
        from .exceptions import EmptyChamberError

        s = np.asarray(sign_vector).reshape(-1)
        if s.size != self.arrangement.n_hyperplanes:
            raise ValidationError(f"`sign_vector` of `ChamberSet.index` must have length "
                                  f"{self.arrangement.n_hyperplanes}; got {s.size} instead.")
        key = np.packbits(s > 0).tobytes()
        try:
            return self._index[key]
        except KeyError:
            raise EmptyChamberError(f"no chamber has sign vector {s.tolist()}") from None

    def __contains__(self, sign_vector):
        s = np.asarray(sign_vector).reshape(-1)
        return np.packbits(s > 0).tobytes() in self._index

    def __iter__(self):
        return iter(self.sign_vectors)

    def __repr__(self):
        return (f"<ChamberSet: {len(self)} chambers of {self.arrangement.n_hyperplanes} hyperplanes "
                f"in R^{self.arrangement.dim}, method={self.method!r}>")


def _generic_count(n, r):
    """Chambers of a generic central arrangement of n distinct hyperplanes of rank r."""
    if n == 0:
        return 1
    return 2 * sum(comb(n - 1, k) for k in range(r))


def estimate_chambers(arr: Arrangement) -> int:
    """Upper bound on the number of chambers (generic count for the distinct normals).

    Examples
    --------
    >>> estimate_chambers(Arrangement.from_points([[0.], [1.], [2.], [3.]]))
    8
    """
    arr = _check_arr(arr, "estimate_chambers")
    N, cone = _as_central(arr)
    n = N.shape[0]
    r = min(N.shape[1], n)
    b = _generic_count(n, r)
    return b // 2 if cone else b


def _human_bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024


def _check_limit(arr, max_chambers, func, *, force="pass max_chambers=None to enumerate anyway"):
    """Refuse enumerations whose a-priori size bound exceeds ``max_chambers``.

    Two estimates, both from the generic bound of :func:`estimate_chambers`: the number
    of chambers, and the number of signs ``n_chambers * n_hyperplanes`` held by the
    output and the sweep (at most ``1000 max_chambers``), which catches many chambers
    of very many hyperplanes (e.g. a million points on a line).  When the generic bound
    is above the limit and the normals are small integers, the exact count from the
    lattice (work capped at ``10 max_chambers``) replaces it, so degenerate
    arrangements such as Shi n = 7 (bound 33,199,096, exactly 262,144) are not refused.
    """
    import numbers

    if max_chambers is None:
        return
    if isinstance(max_chambers, bool) or not isinstance(max_chambers, numbers.Integral) \
            or max_chambers < 0:
        raise ValidationError(f"`max_chambers` of `{func}` must be a non-negative int or None; "
                              f"got {max_chambers!r} instead.")
    est = estimate_chambers(arr)
    if est > max_chambers:
        # The generic bound is far above the truth for degenerate input: for small-integer
        # normals the exact count comes cheaply from the lattice (work capped).
        from ._lsweep import exact_count_or_none

        exact = exact_count_or_none(arr, 10 * max(int(max_chambers), 1))
        if exact is None:
            raise TooLargeError(
                f"the arrangement may have up to {est:,} chambers (> max_chambers="
                f"{max_chambers:,}); {force}")
        if exact > max_chambers:
            raise TooLargeError(
                f"the arrangement has exactly {exact:,} chambers (> max_chambers="
                f"{max_chambers:,}); {force}")
        est = exact
    signs = est * arr.n_hyperplanes
    if signs > _SIGNS_PER_CHAMBER * max_chambers:
        raise TooLargeError(
            f"the arrangement may have up to {est:,} chambers of {arr.n_hyperplanes:,} hyperplanes "
            f"each: {signs:.3g} signs, about {_human_bytes(signs / 8)} packed (> "
            f"{_SIGNS_PER_CHAMBER * max_chambers:.3g} signs, the limit for max_chambers="
            f"{max_chambers:,}); {force}")


def count_work(arr: Arrangement, method: str = "sweep") -> float:
    """A-priori number of sign evaluations (or flat closures) of :func:`count_chambers`.

    ``"sweep"``: the rays of the top level, ``C(n, r - 1)``, each signed against the
    ``n`` hyperplanes (the lower levels of the recursion are smaller); ``"lattice"``:
    the flats below the top, at most ``sum_{j < r} C(n, j)``, each closed against the
    ``n`` hyperplanes; ``"formula"``: the ``C(n, r)`` maximal minors.  ``n`` counts
    repeated hyperplanes, ``r = min(n, dim)`` of the cone: an upper bound.

    Examples
    --------
    >>> count_work(Arrangement.from_points([[0.0], [1.0], [2.0]]))   # C(3, 1) rays x 3
    9
    """
    N, _ = _as_central(arr)
    n, dim = N.shape
    r = min(n, dim)
    if n == 0 or r == 0:
        return 0
    if method == "lattice":
        return sum(comb(n, j) for j in range(r)) * n
    if method == "formula":
        return comb(n, r)
    return comb(n, r - 1) * n


def _check_work(arr, method, max_work, func, *, a_priori=True):
    import numbers

    if max_work is None:
        return
    if isinstance(max_work, bool) or not isinstance(max_work, numbers.Integral) or max_work < 0:
        raise ValidationError(f"`max_work` of `{func}` must be a non-negative int or None; "
                              f"got {max_work!r} instead.")
    if not a_priori:
        return
    work = count_work(arr, method)
    if work > max_work:
        raise TooLargeError(
            f"counting the chambers (method={method!r}) may take up to {work:.3g} sign "
            f"evaluations (> max_work={max_work:.3g}); pass max_work=None to count anyway")


# ---------------------------------------------------------------- enumeration
def enumerate_chambers(arr: Arrangement, method: str = "sweep", *, max_chambers: int = DEFAULT_MAX_CHAMBERS,
                       interior_points: bool = True, rng: int | np.random.Generator | None = 0) -> ChamberSet:
    """Every chamber of an arrangement exactly once, with its sign vector.

    Parameters
    ----------
    arr : Arrangement
    method : {"sweep", "lp"}
        ``"sweep"`` (default): the exact combinatorial recursive sweep (no LP in the
        loop; see :mod:`zonotope._sweep`).  ``"lp"``: reference graph search over
        adjacent chambers with an LP feasibility test per flip, each found chamber
        certified exactly; slow.
    max_chambers : int or None
        Refuse (``TooLargeError``) when the a-priori bound exceeds this; ``None``
        disables the check.
    interior_points : bool
        Compute a certified interior point per chamber.
    rng : int, Generator or None
        Seed of the auxiliary random vectors (the output set does not depend on it).

    Returns
    -------
    ChamberSet

    Notes
    -----
    Central and affine arrangements are supported (an affine arrangement is coned to
    a central one in one more dimension).  Repeated/antiparallel normals are merged
    before the sweep; non-essential arrangements are handled by fixing an exact basis
    of the lineality space.  Cost: ``O(C(n, r-1) n)`` filtered sign evaluations for
    ``n`` distinct normals of rank ``r``.

    Examples
    --------
    >>> A = Arrangement.from_points([[0.0], [1.0], [3.0]])
    >>> ch = enumerate_chambers(A)
    >>> len(ch), ch.sign_vectors.tolist()[:3]
    (6, [[-1, -1, -1], [-1, -1, 1], [-1, 1, 1]])
    >>> bool(np.all(A.sign_vectors(ch.interior_points) == ch.sign_vectors))
    True
    >>> len(enumerate_chambers(Arrangement(np.zeros((0, 3)), dim=3)))
    1
    """
    arr = _check_arr(arr, "enumerate_chambers")
    if method not in ("sweep", "lp"):
        raise ValidationError(f"`method` of `enumerate_chambers` must be 'sweep' or 'lp'; "
                              f"got {method!r} instead.")
    _check_limit(arr, max_chambers, "enumerate_chambers")
    t0 = time.perf_counter()
    N, cone = _as_central(arr)
    if method == "sweep":
        packed, pts, n_exact, exact_pts = _enumerate_sweep_final(arr, N, cone, rng, interior_points)
        packed.flags.writeable = False
        if pts is not None:
            pts.flags.writeable = False
        return ChamberSet(arr, packed, pts if interior_points else None, method,
                          time.perf_counter() - t0, n_exact, {"exact_points": exact_pts})
    signs, pts, n_exact, exact_pts = _enumerate_lp(N)
    packed = np.packbits(signs > 0, axis=1)
    rows = np.arange(packed.shape[0])
    if cone:  # keep the chambers with t > 0 (the last bit) and drop that bit, bitwise
        last = N.shape[0] - 1
        byte, mask = last // 8, np.uint8(1 << (7 - last % 8))
        keep = (packed[:, byte] & mask) != 0
        rows = rows[keep]
        packed = packed[keep]
        if last % 8 == 0:
            packed = packed[:, :byte]
        else:
            packed[:, byte] &= ~mask
    packed = np.ascontiguousarray(packed)
    if packed.shape[1] and packed.shape[0] > 1:
        order = packed_order(packed)
        packed = packed[order]
        rows = rows[order]
    if pts is not None:
        pts = pts[rows]
        if exact_pts:  # re-key the (rare) exact points by their new row
            pos = np.full(max(int(rows.max()), max(exact_pts)) + 1, -1, dtype=np.intp)
            pos[rows] = np.arange(rows.size)
            exact_pts = {int(pos[r]): w for r, w in exact_pts.items() if pos[r] >= 0}
        if cone:
            pts, exact_pts = _dehomogenise(arr, packed, pts, exact_pts)
        pts.flags.writeable = False
    packed = np.ascontiguousarray(packed)
    packed.flags.writeable = False
    return ChamberSet(arr, packed, pts if interior_points else None, method,
                      time.perf_counter() - t0, n_exact, {"exact_points": exact_pts})


# ---------------------------------------------------------------- counting
def count_chambers(arr: Arrangement, method: str = "auto", *, max_work: float = DEFAULT_MAX_WORK,
                   rng: int | np.random.Generator | None = 0) -> int:
    """Number of chambers, without listing them (memory bounded by the arrangement).

    Parameters
    ----------
    arr : Arrangement
    method : {"auto", "lattice", "sweep", "formula"}
        ``"lattice"``: Zaslavsky's theorem ``r = sum_X |mu(0, X)|`` over the flats of
        the intersection lattice, Moebius function by Weisner's recursion, exact
        modular ranks (:func:`zonotope.count_regions`); memory: the flats of rank
        ``rank - 2`` (for large lattices with coordinate symmetries, one flat per
        orbit of every rank: ``symmetry='auto'`` of :func:`zonotope.count_regions`).
        ``"sweep"``: the counting form of the exact sweep recursion
        (``docs/exactness.md``), rays taken a block at a time; memory: one block.
        ``"auto"`` (default): ``"lattice"`` when the integer rows are small enough
        for the fast modular path (integer, rational and small-integer-valued data:
        grids, Shi, Catalan, resonance, ...), else ``"sweep"``.  ``"formula"``: the
        closed form ``2 sum_{k<r} C(n-1, k)`` for a central arrangement of ``n``
        distinct hyperplanes of rank ``r`` in general position (Zaslavsky; for data
        in general position ``2 sum_{k<=d} C(N-1, k)``); raises
        :class:`GeneralPositionError` when the normals are not generic.
    max_work : int or None
        Refuse (:class:`TooLargeError`) runs that are too large; ``None`` disables the
        check.  ``"sweep"`` and ``"formula"``: the a-priori work estimate
        (:func:`count_work`: sign evaluations).  ``"lattice"``: the work actually done
        (flats reduced times hyperplanes), checked level by level, since the
        a-priori bound ``sum_j C(n, j)`` on the number of flats is far too pessimistic
        for degenerate arrangements.
    rng : int, Generator or None
        Seed of the sweep's auxiliary vectors (the count does not depend on it).

    Examples
    --------
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [1., 1.]])
    >>> count_chambers(A), count_chambers(A, method="formula"), count_chambers(A, method="lattice")
    (14, 14, 14)
    >>> count_chambers(A, method="sweep")
    14
    """
    arr = _check_arr(arr, "count_chambers")
    fast = False
    larr, halve = arr, False  # the arrangement the lattice counts (and whether to halve)
    if method in ("auto", "lattice"):
        from ._flats import _fast_path_applies

        fast = _fast_path_applies(arr)
        if not fast and arr.n_hyperplanes <= 20000:
            # small integers after an exact power-of-two column scaling (scaled integer
            # data): count the balanced cone, whose chambers are those of the cone of arr
            N0, cone0 = _as_central(arr)
            Nb, c = _balance.column_balance(_small_int_floats(N0))
            if c is not None:
                barr = Arrangement(np.array(Nb))
                if _fast_path_applies(barr):
                    fast, larr, halve = True, barr, cone0
        if method == "auto":
            method = "lattice" if fast else "sweep"
    if method in ("sweep", "lattice", "formula"):
        # the fast lattice path checks the work it actually does (see max_work above)
        _check_work(arr, method, max_work, "count_chambers", a_priori=not (method == "lattice" and fast))
    N, cone = _as_central(arr)
    if method == "lattice":
        from .lattice import _data

        # the cone of an affine arrangement: negation pairs its chambers across t = 0;
        # large lattices with coordinate symmetries are counted on orbits (symmetry='auto')
        w = _data(larr, "count_chambers", "auto", max_work=max_work).whitney_first
        n = int(sum(abs(int(v)) for v in w))
        return n // 2 if halve else n
    if method == "formula":
        from .exceptions import GeneralPositionError

        if cone:
            raise ValidationError("`method='formula'` of `count_chambers` needs a central arrangement.")
        if N.shape[0] == 0:
            return 1
        red = _reduce(_balance.column_balance(N)[0], np.zeros((0, N.shape[1]), dtype=int))
        if not _is_generic(red):
            raise GeneralPositionError("the normals are not in general position; use method='sweep'")
        return _generic_count(red.n_classes, red.rank)
    if method != "sweep":
        raise ValidationError(f"`method` of `count_chambers` must be 'auto', 'lattice', 'sweep' or "
                              f"'formula'; got {method!r} instead.")
    if N.shape[0] == 0:
        return 1
    gen = check_rng(rng)
    dim = N.shape[1]
    # exact power-of-two column balancing: the same chambers (see _enumerate_sweep_final)
    N = _balance.column_balance(_small_int_floats(N))[0]
    for _attempt in range(_MAX_RESTARTS):
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        red = _reduce(N, aux)
        if red.rank == 0:
            return 1
        sw = Sweep(red.er, list(range(red.n_classes, red.n_classes + dim)), False)
        try:
            tot = sw.count_all(np.arange(red.n_classes), len(red.lineality), _COUNT_RAYS)
        except NonGenericAux:
            continue
        # affine: the cone contains the hyperplane t = 0, and negation pairs each chamber
        # with t > 0 with one with t < 0, so exactly half of the cone's chambers remain
        return tot // 2 if cone else tot
    raise ZonotopeError("could not find generic auxiliary vectors")  # pragma: no cover


def _is_generic(red):
    """Every r of the distinct normals independent (exact), r = rank.

    For a non-essential arrangement the test is made in the complement of the
    lineality space: ``det[a_S; t_0..t_{n-r-1}] != 0`` for every r-subset ``S``.
    """
    from itertools import combinations

    er = red.er
    r = red.rank
    n = red.n_classes
    if n == 0:
        return True
    lin = list(range(n, n + len(red.lineality)))
    idx = np.array([list(S) + lin for S in combinations(range(n), r)], dtype=np.intp)
    return bool(np.all(er.det_signs(idx) != 0))
