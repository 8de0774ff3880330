"""Combinatorial equivalence of data sets, vector configurations and zonotopes.

Two configurations of ``n`` labelled vectors (for a data set: the homogenised points
``(x_i, 1)``) are *combinatorially equivalent* when they have the same oriented
matroid.  The following are equivalent (Björner et al. 1999, §3.5 and §4.2):

* the chirotopes (signs of all ``rank``-minors, in a basis of the span) agree up to
  one global sign;
* the central arrangements ``{w : w . v_i = 0}`` have the same set of chamber sign
  vectors (for data: the same feasible activation patterns of a ReLU unit);
* the zonotopes ``sum_i [0, v_i]`` have the same face lattice *with the labelling*:
  the same vertices as 0/1 coefficient vectors and the same faces.

Theorem 4.1 of Matena & Raffel (2022) uses exactly the labelled notion.  The
unlabelled question (is there *some* bijection of the faces?) is answered by
:func:`are_combinatorially_isomorphic` through the 1-skeleta.

References
----------
A. Björner, M. Las Vergnas, B. Sturmfels, N. White, G. M. Ziegler, *Oriented
Matroids*, 2nd ed., Cambridge University Press, 1999, doi:10.1017/CBO9780511586507.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from . import _exact
from ._minors import MinorScan as _MinorScan
from ._minors import binom_table as _binom_table
from ._minors import lex_rank_part as _lex_rank_part
from ._validation import as_matrix, as_points
from .arrangement import Arrangement
from .chambers import DEFAULT_MAX_CHAMBERS, enumerate_chambers
from .exceptions import TooLargeError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

__all__ = [
    "DEFAULT_MAX_BASES",
    "Chirotope",
    "chirotope",
    "EquivalenceResult",
    "are_combinatorially_equivalent",
    "ChamberComparison",
    "compare_chambers",
    "IsomorphismResult",
    "are_combinatorially_isomorphic",
]

#: Largest chirotope (number of ``rank``-subsets) computed by default.
DEFAULT_MAX_BASES = 100_000_000


# =====================================================================================
# Chirotopes
# =====================================================================================
class Chirotope:
    """The chirotope of ``n_elements`` labelled vectors of rank ``rank``.

    ``signs[k]`` is the sign (``-1, 0, +1``, int8) of the determinant of the ``k``-th
    ``rank``-subset of the elements in lexicographic order
    (``itertools.combinations(range(n_elements), rank)``), with the vectors written in
    a fixed basis of their span.  A chirotope is defined up to a global sign (the
    choice of basis); :meth:`is_equivalent` compares up to that sign.

    Build it with :func:`chirotope` (vectors) or :meth:`from_points` (data sets).

    Examples
    --------
    >>> chi = Chirotope.from_points([[0, 0], [1, 0], [0, 1], [1, 1]])
    >>> chi.rank, len(chi), chi.signs.tolist()
    (3, 4, [1, 1, -1, -1])
    >>> chi[(0, 1, 2)], chi[(1, 0, 2)]      # alternating in the order of the indices
    (1, -1)
    >>> chi.is_uniform
    True
    >>> Chirotope.from_points([[0, 0], [1, 1], [2, 2]]).rank   # collinear: rank 2
    2
    >>> chi.subset(2), chi[chi.subset(2)] == int(chi.signs[2])   # the 3rd basis, lexicographically
    ((0, 2, 3), True)
    >>> chi.is_equivalent(Chirotope.from_points([[0, 0], [2, 0], [0, 2], [2, 2]]))   # scaled
    True
    >>> chi.is_equivalent(Chirotope.from_points([[0, 0], [1, 0], [0, 1], [-1, -1]]))
    False
    """

    __slots__ = ("_n", "_r", "_signs", "_cols", "__dict__")

    def __init__(self, n_elements: int, rank: int, signs: ArrayLike, columns: Sequence[int] | None = None):
        signs = np.array(signs, dtype=np.int8).reshape(-1)
        if signs.size != math.comb(n_elements, rank):
            raise ValidationError(f"`signs` of `Chirotope` must have C({n_elements}, {rank}) entries; "
                                  f"got {signs.size} instead.")
        signs.flags.writeable = False
        object.__setattr__(self, "_n", int(n_elements))
        object.__setattr__(self, "_r", int(rank))
        object.__setattr__(self, "_signs", signs)
        object.__setattr__(self, "_cols", None if columns is None else tuple(int(c) for c in columns))

    def __setattr__(self, name, value):
        raise AttributeError("Chirotope is immutable")

    @classmethod
    def from_points(cls, X: ArrayLike, *, max_bases: int | None = DEFAULT_MAX_BASES) -> Chirotope:
        """Chirotope of the homogenised points ``(x_i, 1)`` of a data set."""
        from ._validation import as_homogenized_points as _point_rows

        _, Xb = _point_rows(X, "Chirotope.from_points")
        return _chirotope_rows(Xb, max_bases, "Chirotope.from_points", "X")

    @property
    def n_elements(self) -> int:
        """Number of vectors."""
        return self._n

    @property
    def rank(self) -> int:
        """Rank of the configuration (size of a basis)."""
        return self._r

    @property
    def signs(self) -> np.ndarray:
        """int8 array of length ``C(n_elements, rank)`` (read-only), lexicographic order."""
        return self._signs

    @property
    def columns(self) -> tuple[int, ...] | None:
        """Coordinates used as the basis of the span (``None``: all, full rank)."""
        return self._cols

    def __len__(self):
        return int(self._signs.size)

    @cached_property
    def is_uniform(self) -> bool:
        """True when every ``rank``-subset is a basis (the configuration is generic)."""
        return bool(np.all(self._signs != 0))

    @cached_property
    def n_bases(self) -> int:
        """Number of ``rank``-subsets that are bases (non-zero signs)."""
        return int(np.count_nonzero(self._signs))

    def __getitem__(self, subset):
        idx = [int(i) for i in subset]
        if len(idx) != self._r or any(not 0 <= i < self._n for i in idx):
            raise ValidationError(f"`subset` of `Chirotope.__getitem__` must be {self._r} indices in "
                                  f"[0, {self._n}); got {subset!r} instead.")
        if len(set(idx)) < len(idx):
            return 0
        order = sorted(range(len(idx)), key=idx.__getitem__)
        parity = _permutation_parity(order)
        srt = np.array(sorted(idx), dtype=np.intp).reshape(1, -1)
        k = _rank_of(srt, self._n)[0]
        return int(self._signs[k]) * (-1 if parity else 1)

    def subset(self, k: int) -> tuple[int, ...]:
        """The ``k``-th ``rank``-subset in lexicographic order (inverse of the indexing)."""
        return _unrank(int(k), self._n, self._r)

    def is_equivalent(self, other: Chirotope) -> bool:
        """Same oriented matroid: equal signs up to one global sign (labelled)."""
        if not isinstance(other, Chirotope):
            raise ValidationError(f"`other` of `Chirotope.is_equivalent` must be a Chirotope; "
                                  f"got {type(other).__name__} instead.")
        if (self._n, self._r) != (other._n, other._r):
            return False
        return bool(np.array_equal(self._signs, other._signs)
                    or np.array_equal(self._signs, -other._signs))

    def __eq__(self, other):
        if not isinstance(other, Chirotope):
            return NotImplemented
        return (self._n, self._r) == (other._n, other._r) and bool(np.array_equal(self._signs, other._signs))

    def __hash__(self):
        return hash((self._n, self._r, self._signs.tobytes()))

    def __repr__(self):
        return f"<Chirotope: {self._n} elements of rank {self._r}, {self.n_bases} bases>"


def _permutation_parity(order):
    seen = [False] * len(order)
    parity = 0
    for i in range(len(order)):
        if not seen[i]:
            j, length = i, 0
            while not seen[j]:
                seen[j] = True
                j = order[j]
                length += 1
            parity ^= (length - 1) & 1
    return parity


def _rank_of(S, N):
    n = S.shape[1]
    tab = _binom_table(N, n)
    return math.comb(N, n) - 1 - _lex_rank_part(S, N, n, 0, tab)


def _unrank(k, N, n):
    out = []
    x = 0
    for q in range(n):
        while True:
            c = math.comb(N - x - 1, n - q - 1)
            if k < c:
                break
            k -= c
            x += 1
        out.append(x)
        x += 1
    return tuple(out)


def _span_columns(er, rank):
    """``rank`` coordinates on which the configuration's span projects isomorphically."""
    if rank == er.dim:
        return None
    rows = [er.zrow(i) for i in range(er.n_rows)]
    _, piv = _exact.exact_rref(rows)
    return tuple(piv[:rank])


def _chirotope_rows(R, max_bases, func, param):
    er = _exact.ExactRows(R)
    N, dim = R.shape
    rank = _exact.exact_rank(er, np.arange(N)) if N else 0
    total = math.comb(N, rank)
    if max_bases is not None and total > max_bases:
        raise TooLargeError(f"`{param}` of `{func}` has C({N}, {rank}) = {total:.3g} {rank}-subsets "
                            f"(> max_bases={max_bases:,}); pass max_bases=None to compute anyway.")
    if rank == 0:
        return Chirotope(N, 0, [1])
    cols = _span_columns(er, rank)
    if cols is not None:
        sub = np.array(R[:, list(cols)], copy=True)
        er = _exact.ExactRows(sub)
    out = np.zeros(total, dtype=np.int8)
    scan = _MinorScan(er)
    tab = _binom_table(N, rank)
    for blk in scan.blocks():
        a = blk.A.shape[1]
        rA = _lex_rank_part(blk.A, N, rank, 0, tab)
        rB = _lex_rank_part(blk.B, N, rank, a, tab)
        ranks = (total - 1) - rA[:, None] - rB[None, :]
        out[ranks.astype(np.int64)] = scan.block_signs(blk)
    return Chirotope(N, rank, out, cols)


def chirotope(vectors: ArrayLike, *, max_bases: int = DEFAULT_MAX_BASES) -> Chirotope:
    """The chirotope (oriented matroid) of a vector configuration, computed exactly.

    Parameters
    ----------
    vectors : array_like, shape (n_vectors, dim)
        Float (exact binary values) or exact int/Fraction rows.
    max_bases : int or None
        Refuse (:class:`TooLargeError`) when ``C(n_vectors, rank)`` exceeds it.

    Returns
    -------
    Chirotope
        One int8 sign per ``rank``-subset, lexicographic order (``C(n, r)`` bytes).

    Raises
    ------
    ValidationError, TooLargeError

    Notes
    -----
    The rank ``r`` is computed exactly; if ``r < dim``, ``r`` coordinates on which the
    span projects isomorphically are chosen (exact elimination), which changes all
    minors by one common non-zero factor.  The signs come from the exact minor scan of
    :mod:`zonotope.general_position` (certified float filter, exact integer fallback).
    Cost ``O(C(n, r) * C(r, r/2))`` flops at most, usually ``O(C(n, r) r)``.

    Examples
    --------
    >>> chirotope([[1, 0], [0, 1], [1, 1]]).signs.tolist()
    [1, 1, -1]
    >>> chirotope([[1, 0], [2, 0]]).rank         # parallel vectors: rank 1
    1
    >>> chirotope([[0.0, 0.0]]).signs.tolist()   # a single zero vector: rank 0
    [1]
    """
    V = as_matrix(vectors, "vectors", "chirotope")
    return _chirotope_rows(V, max_bases, "chirotope", "vectors")


# =====================================================================================
# Inputs: points, Arrangement, Zonotope
# =====================================================================================
def _as_configuration(obj, param, func):
    """``(vectors, arrangement_or_None)``: homogenised points or an object's vectors."""
    from .zonotope import Zonotope

    if isinstance(obj, Arrangement):
        if not obj.is_central:
            raise ValidationError(f"`{param}` of `{func}` must be a central arrangement "
                                  "(or a data set / Zonotope); got an affine one instead.")
        return obj.normals, obj
    if isinstance(obj, Zonotope):
        G = obj.generators
        zero = [i for i in range(G.shape[0]) if all(v == 0 for v in G[i])]
        arr = None if zero else Arrangement(G)
        return G, arr
    from ._validation import as_homogenized_points as _point_rows

    X = as_points(obj, param, func)
    _, Xb = _point_rows(X, func)
    return Xb, None


def _arrangement_of(V, arr, param, func):
    if arr is not None:
        return arr
    zero = [i for i in range(V.shape[0]) if all(v == 0 for v in V[i])]
    if zero:
        raise ValidationError(f"`{param}` of `{func}` has the zero generator {zero[0]}; chambers need "
                              "non-zero vectors (use method='chirotope').")
    return Arrangement(V)


# =====================================================================================
# Chamber comparison (the two failure modes of the paper)
# =====================================================================================
@dataclass(frozen=True)
class ChamberComparison:
    """Chambers (activation patterns, zonotope vertices) of two labelled configurations.

    Attributes
    ----------
    new : ndarray of int8, shape (n_new, n)
        Sign vectors of the second configuration absent from the first: for a
        perturbation of a non-generic data set, the vertices created when a
        non-parallelepiped face of the zonotope breaks up (Matena & Raffel 2022, §4.1,
        second mechanism).
    vanished : ndarray of int8, shape (n_vanished, n)
        Sign vectors of the first configuration absent from the second (empty for
        every small enough perturbation: an open chamber survives small moves).
    surviving : ndarray of int8, shape (n_surviving, n)
        Sign vectors of both.
    n_before, n_after : int
        Number of chambers of each configuration.

    Examples
    --------
    >>> c = compare_chambers([[0.0], [0.0]], [[0.0], [1.0]])   # a duplicate splits
    >>> c.n_before, c.n_after, c.n_new, c.n_vanished, c.n_surviving
    (2, 4, 2, 0, 2)
    """

    new: np.ndarray
    vanished: np.ndarray
    surviving: np.ndarray
    n_before: int
    n_after: int

    @property
    def n_new(self) -> int:
        """Number of new chambers."""
        return int(self.new.shape[0])

    @property
    def n_vanished(self) -> int:
        """Number of vanished chambers."""
        return int(self.vanished.shape[0])

    @property
    def n_surviving(self) -> int:
        """Number of chambers of both configurations."""
        return int(self.surviving.shape[0])

    @property
    def same(self) -> bool:
        """True when the chamber sets coincide (combinatorial equivalence)."""
        return self.n_new == 0 and self.n_vanished == 0


def _chamber_comparison(arrA, arrB, max_chambers):
    chA = enumerate_chambers(arrA, max_chambers=max_chambers, interior_points=False)
    chB = enumerate_chambers(arrB, max_chambers=max_chambers, interior_points=False)
    SA, SB = chA.sign_vectors, chB.sign_vectors
    kA = {r.tobytes(): i for i, r in enumerate(chA.packed)}
    kB = {r.tobytes(): i for i, r in enumerate(chB.packed)}
    new = [kB[k] for k in kB if k not in kA]
    gone = [kA[k] for k in kA if k not in kB]
    both = [kA[k] for k in kA if k in kB]
    n = SA.shape[1]

    def take(S, rows):
        out = np.array(S[np.array(sorted(rows), dtype=np.intp)] if rows else np.zeros((0, n)), dtype=np.int8)
        out.flags.writeable = False
        return out

    return ChamberComparison(take(SB, new), take(SA, gone), take(SA, both), len(chA), len(chB))


def compare_chambers(X: ArrayLike, X_perturbed: ArrayLike, *,
                     max_chambers: int = DEFAULT_MAX_CHAMBERS) -> ChamberComparison:
    """Which chambers (activation patterns) are new, vanished or surviving.

    Parameters
    ----------
    X, X_perturbed : array_like (n_samples, n_features), Arrangement or Zonotope
        Two labelled configurations with the same number of elements (data sets are
        homogenised; the dimensions may differ).
    max_chambers : int or None
        Passed to :func:`zonotope.enumerate_chambers`.

    Returns
    -------
    ChamberComparison

    Raises
    ------
    ValidationError
        Different numbers of elements, zero generators, or bad input.

    Notes
    -----
    Both arrangements are enumerated exactly; the sign vectors are compared as
    bit-packed keys.  Cost: two chamber enumerations.

    Examples
    --------
    Three collinear points plus one; lifting the middle point off the line creates
    the two chambers that separate ``{1, 3}`` from ``{0, 2}`` (a hexagonal face of the
    zonotope breaks into parallelograms):

    >>> X = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]]
    >>> cmp = compare_chambers(X, [[0.0, 0.0], [1.0, 0.01], [2.0, 0.0], [0.0, 1.0]])
    >>> cmp.n_before, cmp.n_after, cmp.n_new, cmp.n_vanished
    (12, 14, 2, 0)
    >>> cmp.new.tolist()
    [[-1, 1, -1, 1], [1, -1, 1, -1]]
    >>> compare_chambers([[0.0]], [[1.0]]).same      # one point: two chambers each
    True
    """
    func = "compare_chambers"
    VA, arrA = _as_configuration(X, "X", func)
    VB, arrB = _as_configuration(X_perturbed, "X_perturbed", func)
    if VA.shape[0] != VB.shape[0]:
        raise ValidationError(f"`X_perturbed` of `{func}` must have {VA.shape[0]} elements (labelled "
                              f"comparison); got {VB.shape[0]} instead.")
    arrA = _arrangement_of(VA, arrA, "X", func)
    arrB = _arrangement_of(VB, arrB, "X_perturbed", func)
    return _chamber_comparison(arrA, arrB, max_chambers)


# =====================================================================================
# Labelled equivalence
# =====================================================================================
@dataclass(frozen=True)
class EquivalenceResult:
    """Answer of :func:`are_combinatorially_equivalent` (``bool(result)`` is the answer).

    Attributes
    ----------
    equivalent : bool
    method : {"chirotope", "chambers"}
    ranks : tuple of int
        Ranks of the two configurations.
    global_sign : int or None
        ``+1``/``-1``: the chirotopes agree up to this factor (or, when not
        equivalent, the factor under which they differ least); ``None`` for the
        chamber method or different ranks.
    n_differing_bases : int or None
        Number of ``rank``-subsets whose signs differ (after ``global_sign``).
    differing_bases : tuple of tuple of int
        The first ``max_report`` of them (lexicographic).

    Examples
    --------
    >>> r = are_combinatorially_equivalent([[0.0], [1.0]], [[5.0], [2.0]])
    >>> bool(r), r.global_sign, r.n_differing_bases
    (True, -1, 0)
    """

    equivalent: bool
    method: str
    ranks: tuple
    global_sign: int | None
    n_differing_bases: int | None
    differing_bases: tuple
    _arrangements: tuple = field(repr=False, compare=False, default=(None, None))
    _max_chambers: int | None = field(repr=False, compare=False, default=DEFAULT_MAX_CHAMBERS)

    def __bool__(self):
        return bool(self.equivalent)

    @cached_property
    def chamber_difference(self) -> ChamberComparison:
        """:class:`ChamberComparison` of the two configurations (computed on demand).

        Its ``new`` and ``vanished`` sign vectors say which activation patterns differ.
        """
        arrA, arrB = self._arrangements
        if arrA is None or arrB is None:
            raise ValidationError("chamber_difference needs configurations without zero vectors.")
        return _chamber_comparison(arrA, arrB, self._max_chambers)


def are_combinatorially_equivalent(A: Arrangement | ArrayLike, B: Arrangement | ArrayLike, *,
                                   method: str = "chirotope", max_bases: int = DEFAULT_MAX_BASES,
                                   max_chambers: int = DEFAULT_MAX_CHAMBERS,
                                   max_report: int = 10) -> EquivalenceResult:
    """Decide whether two labelled configurations have the same oriented matroid (same chambers).

    Parameters
    ----------
    A, B : array_like (n_samples, n_features), Arrangement (central) or Zonotope
        Data sets (homogenised), arrangements (their normals) or zonotopes (their
        generators); element ``i`` of ``A`` is matched with element ``i`` of ``B``.
    method : {"chirotope", "chambers"}
        ``"chirotope"`` compares the signs of all ``rank``-minors up to a global sign;
        ``"chambers"`` compares the sets of chamber sign vectors.  Both decide the same
        property exactly.
    max_bases, max_chambers : int or None
        Size limits of the two methods.
    max_report : int
        How many differing bases to list.

    Returns
    -------
    EquivalenceResult
        Truthy iff equivalent; ``result.chamber_difference`` lists the sign vectors
        (activation patterns) present in only one of them.

    Raises
    ------
    ValidationError
        Different numbers of elements, unknown method, bad input.
    TooLargeError

    Notes
    -----
    Equivalent configurations have the same chambers, i.e. the same feasible
    activation patterns ``{1[W Xbar > 0]}`` for every width (Matena & Raffel 2022,
    proof of Thm 4.1).  Chirotope method: ``O(C(n, r))`` exact signs for each side;
    chamber method: two chamber enumerations.

    Examples
    --------
    >>> A = [[0, 0], [1, 0], [0, 1], [1, 1]]
    >>> B = [[0, 0], [2, 0], [0, 2], [3, 3]]        # same order type
    >>> bool(are_combinatorially_equivalent(A, B))
    True
    >>> r = are_combinatorially_equivalent(A, [[0, 0], [1, 0], [0, 1], [-1, -1]])
    >>> bool(r), r.differing_bases, r.chamber_difference.n_new
    (False, ((0, 1, 2),), 2)
    >>> bool(are_combinatorially_equivalent([[0.0]], [[5.0]], method="chambers"))
    True
    """
    func = "are_combinatorially_equivalent"
    if method not in ("chirotope", "chambers"):
        raise ValidationError(f"`method` of `{func}` must be 'chirotope' or 'chambers'; "
                              f"got {method!r} instead.")
    VA, arrA = _as_configuration(A, "A", func)
    VB, arrB = _as_configuration(B, "B", func)
    if VA.shape[0] != VB.shape[0]:
        raise ValidationError(f"`B` of `{func}` must have {VA.shape[0]} elements (labelled comparison); "
                              f"got {VB.shape[0]} instead.")

    def arrs():
        try:
            return (_arrangement_of(VA, arrA, "A", func), _arrangement_of(VB, arrB, "B", func))
        except ValidationError:
            return (None, None)

    if method == "chambers":
        a, b = _arrangement_of(VA, arrA, "A", func), _arrangement_of(VB, arrB, "B", func)
        cmp = _chamber_comparison(a, b, max_chambers)
        res = EquivalenceResult(cmp.same, "chambers", (a.rank, b.rank), None, None, (), (a, b), max_chambers)
        res.__dict__["chamber_difference"] = cmp
        return res
    ca = _chirotope_rows(VA, max_bases, func, "A")
    cb = _chirotope_rows(VB, max_bases, func, "B")
    if ca.rank != cb.rank:
        return EquivalenceResult(False, "chirotope", (ca.rank, cb.rank), None, None, (), arrs(), max_chambers)
    sa, sb = ca.signs.astype(np.int16), cb.signs.astype(np.int16)
    d_plus = int(np.count_nonzero(sa != sb))
    d_minus = int(np.count_nonzero(sa != -sb))
    sign = 1 if d_plus <= d_minus else -1
    ndiff = min(d_plus, d_minus)
    where = np.flatnonzero(sa != sign * sb)[:max_report]
    bases = tuple(ca.subset(int(k)) for k in where)
    return EquivalenceResult(ndiff == 0, "chirotope", (ca.rank, cb.rank), sign, ndiff, bases, arrs(),
                             max_chambers)


# =====================================================================================
# Unlabelled: isomorphism of the 1-skeleta
# =====================================================================================
@dataclass(frozen=True)
class IsomorphismResult:
    """Answer of :func:`are_combinatorially_isomorphic` (``bool(result)`` is the answer).

    Attributes
    ----------
    isomorphic : bool
        Whether the 1-skeleta (vertex-edge graphs) of the two zonotopes are isomorphic.
    mapping : dict or None
        A graph isomorphism: chamber (vertex) index of the first configuration ->
        chamber index of the second (indices into their
        :func:`~zonotope.enumerate_chambers` results).
    n_vertices, n_edges : tuple of int

    Examples
    --------
    >>> r = are_combinatorially_isomorphic([[0.0], [1.0]], [[0.0], [1.0], [2.0]])
    >>> bool(r), r.n_vertices, r.n_edges
    (False, (4, 6), (4, 6))
    """

    isomorphic: bool
    mapping: dict | None
    n_vertices: tuple
    n_edges: tuple

    def __bool__(self):
        return bool(self.isomorphic)


def are_combinatorially_isomorphic(A: Arrangement | ArrayLike, B: Arrangement | ArrayLike, *,
                                   max_chambers: int = DEFAULT_MAX_CHAMBERS) -> IsomorphismResult:
    """Unlabelled comparison: decide whether the zonotopes' 1-skeleta are isomorphic graphs.

    Parameters
    ----------
    A, B : array_like (n_samples, n_features), Arrangement (central) or Zonotope
        The numbers of elements may differ.
    max_chambers : int or None

    Returns
    -------
    IsomorphismResult

    Notes
    -----
    The 1-skeleton of the zonotope is the *tope graph* of the oriented matroid: the
    chambers, adjacent when they differ on one parallel class.  Isomorphic face
    lattices have isomorphic 1-skeleta, so a negative answer is a proof of
    non-isomorphism.  The converse is a theorem of Björner, Edelman and Ziegler
    (1990): the tope graph of a simple oriented matroid determines it up to
    reorientation, and the zonotope of a configuration is, up to translation, that of
    its simplification (parallel and antiparallel vectors merged) -- so isomorphic
    1-skeleta mean combinatorially isomorphic zonotopes.  This direction relies on the
    cited theorem; the implementation only tests graph isomorphism (cheap invariants,
    then networkx's VF2++), which is worst-case exponential.

    References
    ----------
    A. Björner, P. H. Edelman, G. M. Ziegler, "Hyperplane arrangements with a lattice
    of regions", Discrete Comput. Geom. 5 (1990) 263-288, doi:10.1007/BF02187790.

    Examples
    --------
    >>> A = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    >>> B = [[1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]   # relabelled
    >>> bool(are_combinatorially_isomorphic(A, B))
    True
    >>> C = [[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]]   # 3 collinear
    >>> r = are_combinatorially_isomorphic(A, C)
    >>> bool(r), r.n_vertices
    (False, (14, 12))
    """
    import networkx as nx

    from .skeleton import skeleton_graph

    func = "are_combinatorially_isomorphic"
    VA, arrA = _as_configuration(A, "A", func)
    VB, arrB = _as_configuration(B, "B", func)
    arrA = _arrangement_of(VA, arrA, "A", func)
    arrB = _arrangement_of(VB, arrB, "B", func)
    GA = skeleton_graph(enumerate_chambers(arrA, max_chambers=max_chambers, interior_points=False))
    GB = skeleton_graph(enumerate_chambers(arrB, max_chambers=max_chambers, interior_points=False))
    nv = (GA.number_of_nodes(), GB.number_of_nodes())
    ne = (GA.number_of_edges(), GB.number_of_edges())
    if nv[0] != nv[1] or ne[0] != ne[1] or \
            sorted(d for _, d in GA.degree()) != sorted(d for _, d in GB.degree()):
        return IsomorphismResult(False, None, nv, ne)
    GA = nx.Graph(GA.edges())
    GA.add_nodes_from(range(nv[0]))
    GB = nx.Graph(GB.edges())
    GB.add_nodes_from(range(nv[1]))
    mapping = nx.vf2pp_isomorphism(GA, GB)
    if mapping is None:
        return IsomorphismResult(False, None, nv, ne)
    return IsomorphismResult(True, {int(k): int(v) for k, v in mapping.items()}, nv, ne)
