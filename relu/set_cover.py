"""Set systems and minimum set cover by brute force: the oracle of the reductions.

:func:`min_set_cover` finds a smallest cover by enumerating subsets (refusing absurd
sizes unless forced); :func:`set_systems` lists every small set system up to
relabelling.  :mod:`relu.reductions` builds training problems from set systems and
checks them against these answers; both names are re-exported there and by
:mod:`relu`.
"""

from __future__ import annotations

import itertools
import math
import numbers
from typing import TYPE_CHECKING

from ._checks import fail
from .exceptions import TooLargeError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = ["MAX_BRUTE_FORCE_SETS", "min_set_cover", "set_systems"]

#: Largest number of sets :func:`min_set_cover` enumerates without ``force=True``.
MAX_BRUTE_FORCE_SETS = 24


def _check_int(x, func, param, minimum=0):
    if isinstance(x, bool) or not isinstance(x, numbers.Integral) or x < minimum:
        fail(param, func, f"an int >= {minimum}", repr(x))
    return int(x)


def _check_sets(n_elements, sets, func):
    n = _check_int(n_elements, func, "n_elements")
    if isinstance(sets, (str, bytes)) or not hasattr(sets, "__iter__"):
        fail("sets", func, "a sequence of sets of elements", type(sets).__name__)
    out = []
    for k, S in enumerate(sets):
        if isinstance(S, (str, bytes)) or not hasattr(S, "__iter__"):
            fail("sets", func, "a sequence of iterables of element indices", f"entry {k} = {S!r}")
        members = set()
        for e in S:
            if isinstance(e, bool) or not isinstance(e, numbers.Integral) or not 0 <= e < n:
                fail("sets", func, f"sets of ints in range({n}) (the universe)", f"{e!r} in set {k}")
            members.add(int(e))
        out.append(frozenset(members))
    return n, tuple(out)


def _covers(n, sets, chosen):
    got = set()
    for i in chosen:
        got |= sets[i]
    return len(got) == n


def min_set_cover(n_elements: int, sets: Sequence[Iterable[int]], *,
                  force: bool = False) -> tuple[int, ...] | None:
    """A smallest cover by brute force (all subsets of sets, by increasing size).

    Parameters
    ----------
    n_elements : int
        Size of the universe ``{0, ..., n_elements - 1}``.
    sets : sequence of iterables of int
    force : bool
        Enumerate even with more than :data:`MAX_BRUTE_FORCE_SETS` sets.

    Returns
    -------
    tuple of int or None
        Indices of the sets of a smallest cover (the lexicographically first one of
        minimum size), ``()`` for an empty universe, ``None`` when the sets do not
        cover the universe.

    Raises
    ------
    ValidationError
        Bad input.
    TooLargeError
        More than :data:`MAX_BRUTE_FORCE_SETS` sets and ``force=False``.

    Notes
    -----
    ``O(2^s n)`` with bit masks.  Set cover is NP-hard (Karp 1972); this is the oracle
    the reductions are tested against.

    Examples
    --------
    >>> min_set_cover(4, [{0, 1}, {1, 2}, {2, 3}, {0}])
    (0, 2)
    >>> min_set_cover(2, [{0}]) is None
    True
    >>> min_set_cover(0, [])
    ()
    """
    func = "min_set_cover"
    n, S = _check_sets(n_elements, sets, func)
    if len(S) > MAX_BRUTE_FORCE_SETS and not force:
        raise TooLargeError(f"`sets` of `{func}` has {len(S)} sets: brute force would try up to "
                            f"2^{len(S)} subsets (> 2^{MAX_BRUTE_FORCE_SETS}); "
                            "pass force=True to run anyway.")
    full = (1 << n) - 1
    masks = [sum(1 << e for e in T) for T in S]
    if n == 0:
        return ()
    union = 0
    for m in masks:
        union |= m
    if union != full:
        return None
    for k in range(1, len(S) + 1):
        for combo in itertools.combinations(range(len(S)), k):
            u = 0
            for i in combo:
                u |= masks[i]
            if u == full:
                return combo
    return None  # pragma: no cover - unreachable: the union covers


def set_systems(n_elements: int, n_sets: int, *, up_to_isomorphism: bool = True,
                coverable_only: bool = False) -> Iterator[tuple[frozenset[int], ...]]:
    """Every set system with ``n_sets`` sets on ``n_elements`` elements.

    Parameters
    ----------
    n_elements, n_sets : int
    up_to_isomorphism : bool, default True
        One representative per class under relabelling the elements and reordering
        the sets (both reductions are equivariant under these, so a class is decided
        by its representative); ``False`` lists all ``2^(n_elements n_sets)``
        sequences of sets.
    coverable_only : bool
        Only systems whose sets cover the universe.

    Yields
    ------
    tuple of frozenset
        The sets, in a canonical order.

    Raises
    ------
    TooLargeError
        More than 10^6 sequences to scan.

    Examples
    --------
    >>> [sorted(map(sorted, S)) for S in set_systems(2, 1)]
    [[[]], [[0]], [[0, 1]]]
    >>> sum(1 for _ in set_systems(4, 4, coverable_only=True))
    230
    """
    func = "set_systems"
    n = _check_int(n_elements, func, "n_elements")
    s = _check_int(n_sets, func, "n_sets")
    total = (1 << n) ** s if not up_to_isomorphism else math.comb((1 << n) + s - 1, s)
    if total > 10**6:
        raise TooLargeError(f"`n_elements`/`n_sets` of `{func}` give {total:.3g} systems to scan (> 10^6).")
    full = (1 << n) - 1

    def as_sets(masks):
        return tuple(frozenset(e for e in range(n) if m >> e & 1) for m in masks)

    def coverable(masks):
        u = 0
        for m in masks:
            u |= m
        return u == full

    if not up_to_isomorphism:
        for masks in itertools.product(range(1 << n), repeat=s):
            if not coverable_only or coverable(masks):
                yield as_sets(masks)
        return
    perms = list(itertools.permutations(range(n)))
    seen = set()
    for combo in itertools.combinations_with_replacement(range(1 << n), s):
        key = min(tuple(sorted(sum(1 << p[e] for e in range(n) if m >> e & 1) for m in combo))
                  for p in perms)
        if key in seen:
            continue
        seen.add(key)
        if not coverable_only or coverable(key):
            yield as_sets(key)
