"""The intersection lattice of an arrangement: flats, Moebius function, characteristic polynomial.

A *flat* is a non-empty intersection of hyperplanes; it is represented canonically
by the set of hyperplanes that contain it.  The *rank* of a flat is the codimension
of the intersection.  For a central arrangement the flats form a geometric lattice
``L(A)``; for an affine one the non-empty intersections form a semilattice, which is
the part of the lattice of the cone ``cA`` (one more dimension, one more hyperplane
``H_inf = {t = 0}``) made of the flats not contained in ``H_inf``.

Invariants computed here (all exact integers):

* the Moebius function ``mu(0, X)`` of every flat, by Weisner's theorem
  (``docs/degenerate.md``): for the atom ``a`` = the smallest hyperplane containing
  ``Y``, ``mu(0, Y) = - sum mu(0, X)`` over the coatoms ``X`` of ``[0, Y]`` with
  ``a`` not in ``X``, i.e. with ``min X > min Y``;
* the characteristic polynomial ``chi(t) = sum_X mu(0, X) t^(dim X)``;
* the Whitney numbers of the first kind ``w_k = sum_{rank X = k} mu(0, X)`` (the
  coefficients of ``chi``) and of the second kind ``W_k = #{X : rank X = k}``;
* the Poincare polynomial ``pi(t) = sum_k |w_k| t^k``;
* Zaslavsky's counts: ``r(A) = (-1)^dim chi(-1) = pi(1)`` regions and
  ``b(A) = (-1)^rank chi(1)`` relatively bounded regions.

Ranks are exact.  The flats are computed in ``GF(p)`` with ``p = 2^31 - 1`` when the
integer rows pass the Hadamard certificate (every minor of the integer rows is
smaller than ``p`` in absolute value, so a minor vanishes modulo ``p`` only if it
vanishes: all ranks agree with the rational ones); otherwise a prime larger than
the Hadamard bound is used, with Python integers.  Every flat is reduced once
(fraction-free elimination of a basis), not once per subset.  The engine lives in
:mod:`zonotope._flats`; this module holds the public invariants.

With ``symmetry=`` (a group of coordinate permutations that map the arrangement to
itself, :mod:`zonotope.symmetry`) the Moebius function is computed on one flat per
orbit (:mod:`zonotope._orbits`, ``docs/degenerate.md`` section 2b).  The default
``symmetry='auto'`` runs the plain recursion on small lattices and switches to the
coordinate symmetries, when there are any, once the work passes about ``10^6``
flats times hyperplanes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._flats import (
    _compute,
    _Engine,
    _restricted_engine,
    _rows_of,
    _run,
)
from .exceptions import TooLargeError, ValidationError

if TYPE_CHECKING:
    import sympy

    from .arrangement import Arrangement

__all__ = [
    "flats",
    "characteristic_polynomial",
    "whitney_numbers",
    "poincare_polynomial",
    "count_regions",
    "count_bounded_regions",
    "fan_face_counts",
]


def fan_face_counts(arr: Arrangement) -> list[int]:
    """Face numbers of the fan of a central arrangement: ``f_k = sum_{rank X = k} r(A^X)``.

    ``f_k`` is the number of covectors whose zero set is a rank-``k`` flat; for the
    arrangement of a zonotope's generators it is the number of ``k``-faces.  Ranks
    ``r - 1`` and ``r - 2`` use closed forms (``r(A^X) = 2`` and ``2 * #covers``); the
    lower ones run Weisner's recursion on each restriction (modular, exact).

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> fan_face_counts(Arrangement([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
    [8, 12, 6, 1]
    """
    R = _rows_of(arr)
    if not R.rows:
        return [1]
    if R.affine:
        raise ValidationError("`arr` of `fan_face_counts` must be a central arrangement.")
    eng = _Engine(R.rows, R.dim)
    r = eng.rank
    f = [0] * (r + 1)
    f[r] = 1

    def on_level(k, bits, basis):
        if k >= r:
            return
        if k == r - 1:
            f[k] = 2 * bits.shape[0]
            return
        dummy = np.zeros(bits.shape[0], dtype=np.int64)
        if k == r - 2:
            tot = 0
            for lo, hi in eng.batches(bits.shape[0], k):
                out = eng.covers(bits[lo:hi], basis[lo:hi], dummy[lo:hi], dummy[lo:hi],
                                 need_bits=False, qualify=False)
                if out is not None:
                    tot += out[0].size
            f[k] = 2 * tot
            return
        tot = 0
        for lo, hi in eng.batches(bits.shape[0], k):
            P, _ = eng._planes(basis[lo:hi])
            for b in range(hi - lo):
                w, _ = _run(_restricted_engine(eng, P, b), second_kind=False)
                tot += sum(abs(int(v)) for v in w)
        f[k] = tot

    w, _ = _run(eng, second_kind=True, on_level=on_level)
    f[0] = sum(abs(int(v)) for v in w)  # r(A), Zaslavsky
    return f


# ----------------------------------------------------------------------------- public API
_AUTO_PLAIN_WORK = 1_000_000
"""``symmetry='auto'``: the plain recursion runs alone up to this much work (flats x hyperplanes)."""


def _data(arr, func, symmetry, second_kind=False, max_work=None):
    """The Whitney numbers of ``arr`` (a :class:`LatticeData`), on orbits when a group is used.

    ``symmetry='auto'``: the plain recursion first, abandoned after
    ``_AUTO_PLAIN_WORK``; then the coordinate symmetries (found with a capped search)
    and the recursion on orbits if the group is not trivial, else the plain one.
    ``max_work``: refuse (:class:`TooLargeError`) once the work done exceeds it.
    """
    from .symmetry import _auto_group, _resolve

    budget = (max_work, func)
    if isinstance(symmetry, str) and symmetry == "auto":
        cap = _AUTO_PLAIN_WORK if max_work is None else min(max_work, _AUTO_PLAIN_WORK)
        try:
            return _compute(arr, second_kind=second_kind, budget=(cap, func))
        except TooLargeError:
            if cap == max_work:
                raise
        G = _auto_group(arr)
    else:
        G = _resolve(arr, symmetry, func)
    if G is None:
        return _compute(arr, second_kind=second_kind, budget=budget)
    from ._flats import LatticeData
    from ._orbits import _Action, run_orbits
    from .symmetry import _hyperplane_action

    R = _rows_of(arr)
    eng = _Engine(R.rows, R.dim, skip_first=R.affine)
    act = _Action(_hyperplane_action(R.rows, G.tolist(), arr.dim), G, R.rows)
    w, W2 = run_orbits(eng, act, affine=R.affine, budget=budget)
    signed = [(-1) ** i * v for i, v in enumerate(w)]
    return LatticeData(arr.dim, len(signed) - 1, signed, W2, None)


def _check(arr, func):
    from .arrangement import Arrangement

    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `{func}` must be an Arrangement; got {type(arr).__name__} instead.")
    return arr


def flats(arr: Arrangement) -> list[list[frozenset[int]]]:
    """All flats of a central arrangement, grouped by rank.

    Returns
    -------
    list of list of frozenset
        ``flats(arr)[k]`` lists the rank-``k`` flats, each as the set of indices of
        the hyperplanes containing it (for an affine arrangement: of its cone, whose
        last hyperplane ``n_hyperplanes`` is ``t = 0``), sorted.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> [len(level) for level in flats(Arrangement([[1, 0], [0, 1], [1, 1]]))]
    [1, 3, 1]
    >>> flats(Arrangement([[1, 0], [2, 0]]))   # repeated hyperplanes share their flats
    [[frozenset()], [frozenset({0, 1})]]
    """
    arr = _check(arr, "flats")
    if arr.is_central:
        return _compute(arr, keep=True).levels
    # the full lattice of the cone (flats at infinity included)
    from .arrangement import Arrangement, _as_central

    N, _ = _as_central(arr)
    return _compute(Arrangement(N), keep=True).levels


def whitney_numbers(arr: Arrangement, kind: int = 1, *, symmetry: Any = "auto") -> list[int]:
    """Whitney numbers of the intersection (semi)lattice.

    Parameters
    ----------
    arr : Arrangement
    kind : {1, 2}
        ``1``: ``w_k = sum_{rank X = k} mu(0, X)`` (signed; the coefficients of
        ``chi(t) = sum_k w_k t^(dim - k)``).  ``2``: ``W_k`` = number of rank-``k``
        flats (non-empty intersections).
    symmetry : 'auto', None, 'coordinates' or array_like of int, optional
        A group of coordinate permutations that map the arrangement to itself:
        ``'coordinates'`` finds all of them (:func:`zonotope.symmetry.coordinate_symmetries`),
        a sequence of permutations generates one (each is checked,
        :func:`zonotope.symmetry.symmetry_group`).  The Moebius function is then
        computed on one flat per orbit (``docs/degenerate.md``, section 2b); the
        answer is the same.  ``None``: every flat, no group.  ``'auto'``
        (default): every flat for small lattices (up to about ``10^6`` flats times
        hyperplanes of work, where the orbits do not pay); past that, the
        coordinate symmetries if there are any.

    Returns
    -------
    list of int
        Indexed by rank ``k = 0 .. rank``.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> from zonotope.library import braid_arrangement
    >>> whitney_numbers(braid_arrangement(4)), whitney_numbers(braid_arrangement(4), kind=2)
    ([1, -6, 11, -6], [1, 6, 7, 1])
    >>> whitney_numbers(Arrangement([[1], [1]], [0, 1]), kind=2)   # two points on a line
    [1, 2]
    """
    arr = _check(arr, "whitney_numbers")
    if kind not in (1, 2) or isinstance(kind, bool):
        raise ValidationError(f"`kind` of `whitney_numbers` must be 1 or 2; got {kind!r} instead.")
    d = _data(arr, "whitney_numbers", symmetry, second_kind=(kind == 2))
    return list(d.whitney_first if kind == 1 else d.whitney_second)


def characteristic_polynomial(arr: Arrangement, *, symmetry: Any = "auto") -> sympy.Poly:
    r"""The characteristic polynomial ``chi_A(t)`` as a :class:`sympy.Poly` in ``t``.

    .. math:: \chi_A(t) = \sum_{X \in L(A)} \mu(\hat 0, X)\, t^{\dim X}

    over the non-empty intersections ``X`` (for an affine arrangement this equals
    ``chi_{cA}(t) / (t - 1)`` for its cone ``cA``).

    Parameters
    ----------
    arr : Arrangement
    symmetry : 'auto', None, 'coordinates' or array_like of int, optional
        Compute on one flat per orbit of a group of coordinate permutations that map
        the arrangement to itself (as in :func:`whitney_numbers`; ``'auto'``, the
        default, does so only for large lattices with a non-trivial group).

    Returns
    -------
    sympy.Poly
        Integer coefficients, degree ``dim``; ``|chi(-1)|`` counts the regions and
        ``|chi(1)|`` the relatively bounded regions (Zaslavsky).

    Notes
    -----
    Computed from the Whitney numbers (:func:`whitney_numbers`), i.e. the Moebius
    function by Weisner's recursion over the flats found level by level (exact
    modular ranks with a Hadamard certificate); see ``docs/degenerate.md``.

    References
    ----------
    T. Zaslavsky, *Facing up to arrangements*, Mem. AMS 154 (1975).
    https://doi.org/10.1090/memo/0154

    Examples
    --------
    >>> import numpy as np
    >>> from zonotope import Arrangement
    >>> characteristic_polynomial(Arrangement([[1, 0], [0, 1], [1, 1]]))
    Poly(t**2 - 3*t + 2, t, domain='ZZ')
    >>> characteristic_polynomial(Arrangement(np.zeros((0, 2)), dim=2)).as_expr()
    t**2
    >>> from zonotope.library import resonance_arrangement
    >>> characteristic_polynomial(resonance_arrangement(4), symmetry="coordinates").as_expr()
    t**4 - 15*t**3 + 80*t**2 - 170*t + 104
    """
    import sympy

    arr = _check(arr, "characteristic_polynomial")
    w = _data(arr, "characteristic_polynomial", symmetry).whitney_first
    t = sympy.Symbol("t")
    coeffs = [0] * (arr.dim + 1)
    for k, v in enumerate(w):
        coeffs[arr.dim - k] += int(v)
    return sympy.Poly(list(reversed(coeffs)), t, domain="ZZ")


def poincare_polynomial(arr: Arrangement, *, symmetry: Any = "auto") -> sympy.Poly:
    r"""The Poincare polynomial ``pi_A(t) = sum_k |w_k| t^k = (-t)^dim chi_A(-1/t)``.

    ``symmetry``: as in :func:`whitney_numbers`.

    Examples
    --------
    >>> from zonotope.library import braid_arrangement
    >>> poincare_polynomial(braid_arrangement(3))
    Poly(2*t**2 + 3*t + 1, t, domain='ZZ')
    """
    import sympy

    arr = _check(arr, "poincare_polynomial")
    w = _data(arr, "poincare_polynomial", symmetry).whitney_first
    t = sympy.Symbol("t")
    return sympy.Poly(list(reversed([abs(int(v)) for v in w])), t, domain="ZZ")


def count_regions(arr: Arrangement, *, symmetry: Any = "auto") -> int:
    """Number of regions (chambers) ``r(A) = pi_A(1) = sum_X |mu(0, X)|`` (Zaslavsky).

    Memory is bounded by the number of flats of rank ``rank - 2`` (the flats of rank
    ``rank - 1`` of a central arrangement are summed, never stored).  With
    ``symmetry`` (as in :func:`whitney_numbers`) one flat per orbit is stored, and
    every level is.

    Examples
    --------
    >>> from zonotope.library import braid_arrangement
    >>> count_regions(braid_arrangement(5))
    120
    >>> count_regions(braid_arrangement(6), symmetry="coordinates")   # S_6 acts
    720
    """
    arr = _check(arr, "count_regions")
    return int(sum(abs(int(v)) for v in _data(arr, "count_regions", symmetry).whitney_first))


def count_bounded_regions(arr: Arrangement, *, symmetry: Any = "auto") -> int:
    """Number of relatively bounded regions ``b(A) = |chi_A(1)|`` (Zaslavsky).

    A region is relatively bounded when it is bounded in the essentialisation (the
    quotient by the lineality space); for an essential arrangement these are the
    bounded regions.  A non-empty central arrangement has none.  ``symmetry``: as
    in :func:`whitney_numbers`.

    Examples
    --------
    >>> from zonotope import Arrangement
    >>> count_bounded_regions(Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]))   # a triangle
    1
    """
    arr = _check(arr, "count_bounded_regions")
    w = _data(arr, "count_bounded_regions", symmetry).whitney_first
    return abs(int(sum(w)))
