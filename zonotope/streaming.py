"""Streaming every chamber exactly once, in blocks of bounded memory.

:func:`iter_chambers` runs the exact sweep of :mod:`zonotope.chambers` rearranged
into a disjoint union, so no global deduplication is needed and memory is bounded by
the block size (plus one hyperplane section; see its Notes).  Re-exported by the
package namespace (``zonotope.iter_chambers``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from ._balance import column_balance
from ._enumerate import (
    _AUX_BOUND,
    _MAX_RESTARTS,
    _affine_points,
    _central_points,
    _lattice_for_sweep,
    _reduce,
)
from ._lsweep import LatticeSweep
from ._sweep import NonGenericAux, Sweep, packed_isin, packed_order
from ._validation import check_rng
from .arrangement import _as_central
from .chambers import (
    DEFAULT_MAX_CHAMBERS,
    ChamberSet,
    _check_limit,
    enumerate_chambers,
    estimate_chambers,
)
from .exceptions import ValidationError, ZonotopeError
from .patterns import _check_arr

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .arrangement import Arrangement

__all__ = ["iter_chambers"]


_STREAM_MAX_FLATS = 1 << 21  # iter_chambers uses the lattice-driven sweep below this lattice size


def iter_chambers(arr: Arrangement, *, block_size: int = 65536, interior_points: bool = False,
                  max_chambers: int = DEFAULT_MAX_CHAMBERS * 20,
                  rng: int | np.random.Generator | None = 0) -> Iterator[ChamberSet]:
    r"""Every chamber exactly once, streamed in blocks (memory bounded by the block size).

    Parameters
    ----------
    arr : Arrangement
    block_size : int, >= 1
        Number of chambers per yielded block (the last one may be smaller).
    interior_points : bool
        Attach a certified interior point to every chamber of each block.
    max_chambers : int or None
        Refuse (``TooLargeError``) when the a-priori bound exceeds this; ``None``
        disables the check.  The default is 20 times that of
        :func:`enumerate_chambers`, since nothing is held in memory.
    rng : int, Generator or None
        Seed of the auxiliary random vectors (the set of chambers does not depend on
        it; the order and the cut into blocks do).

    Yields
    ------
    ChamberSet
        A block of distinct chambers (rows sorted within the block), with certified
        interior points if asked for.  The blocks are pairwise disjoint and their
        union is exactly the chamber set of :func:`enumerate_chambers`.

    Raises
    ------
    ValidationError
        On a bad argument (raised at the call, before iteration starts).
    TooLargeError
        If the a-priori bound exceeds ``max_chambers``.

    Notes
    -----
    Same exact recursive sweep as :func:`enumerate_chambers` (see
    ``docs/exactness.md``), rearranged into a disjoint union that needs no global
    deduplication: with ``Pos(k)`` the chambers meeting ``{t_k > 0}``,
    ``Pos(k) = LV(k) u -Pos(k+1)`` and ``All = Pos(k0) u -In(k0)``, where
    ``In(k0) = LV(k0) \ In(k0+1)``.  ``LV`` is computed a block of rays at a time.

    **Memory.**  Besides the current block (``O(block_size * n_hyperplanes)`` bits
    and, with points, ``8 * dim`` bytes per chamber), the stream holds the packed
    sign vectors of ``In(k0+1)``: the chambers of one generic hyperplane section of
    the arrangement that lie on one side, about ``rank / n_hyperplanes`` of all
    chambers for generic data (``ceil(n_hyperplanes / 8)`` bytes each).  If the random
    auxiliary vectors turn out to be degenerate after some blocks were yielded
    (probability below ``1e-8`` per ray), the stream recomputes the packed sign
    vectors already yielded, keeps them in memory and continues with fresh vectors
    without repeating a chamber.

    Integer and rational input whose intersection lattice has at most ``2^21`` flats
    per rank goes through the lattice-driven sweep (``docs/degenerate.md``): the
    flats (bitsets, ``ceil(n_hyperplanes / 64)`` words each) and the chambers of the
    localisations at the flats of rank ``< rank - 1`` are held, the rays are
    processed a block at a time.

    Examples
    --------
    >>> from zonotope import Arrangement, count_chambers, enumerate_chambers
    >>> A = Arrangement.from_points([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [2.0, 3.0]])
    >>> blocks = list(iter_chambers(A, block_size=5))
    >>> [len(b) for b in blocks], sum(len(b) for b in blocks), count_chambers(A)
    ([5, 5, 4], 14, 14)
    >>> got = {tuple(v) for b in blocks for v in b.sign_vectors.tolist()}
    >>> got == {tuple(v) for v in enumerate_chambers(A).sign_vectors.tolist()}
    True
    >>> b = next(iter_chambers(A, block_size=4, interior_points=True))
    >>> bool(np.all(A.sign_vectors(b.interior_points) == b.sign_vectors))
    True
    >>> [len(b) for b in iter_chambers(Arrangement(np.zeros((0, 2)), dim=2))]   # empty
    [1]
    """
    import numbers

    arr = _check_arr(arr, "iter_chambers")
    if isinstance(block_size, bool) or not isinstance(block_size, numbers.Integral) or block_size < 1:
        raise ValidationError(f"`block_size` of `iter_chambers` must be a positive int; "
                              f"got {block_size!r} instead.")
    if not isinstance(interior_points, (bool, np.bool_)):
        raise ValidationError(f"`interior_points` of `iter_chambers` must be a bool; "
                              f"got {interior_points!r} instead.")
    _check_limit(arr, max_chambers, "iter_chambers")
    return _iter_chambers(arr, int(block_size), bool(interior_points), rng)


def _iter_chambers(arr, block_size, want_points, rng):
    if estimate_chambers(arr) <= block_size:
        yield enumerate_chambers(arr, max_chambers=None, interior_points=want_points, rng=rng)
        return
    N0, cone = _as_central(arr)
    # exact power-of-two column balancing (same chambers; points mapped back exactly)
    N, c = column_balance(N0)
    dim = N.shape[1]
    gen = check_rng(rng)
    seen = None  # packed keys already yielded by an abandoned run (rare; see Notes)
    rays = max(1, block_size // 2)
    for _attempt in range(_MAX_RESTARTS):
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        buf = _BlockBuffer(arr, block_size, want_points)
        yielded = 0
        try:
            for piece in _stream_pieces(arr, (N0, N, c), cone, aux, rays, want_points, seen):
                for block in buf.push(*piece):
                    yielded += len(block)
                    yield block
        except NonGenericAux:
            if yielded == 0:
                continue
            # recompute what this run already yielded (same aux: same order), then go on
            # with fresh vectors without repeating it
            got, parts = 0, []
            for packed, _, _, _ in _stream_pieces(arr, (N0, N, c), cone, aux, rays, False, seen):
                take = packed[: yielded - got]
                parts.append(take)
                got += take.shape[0]
                if got >= yielded:
                    break
            done = np.concatenate(parts + ([] if seen is None else [seen]))
            seen = done[packed_order(done)]
            continue
        for block in buf.flush():
            yield block
        return
    raise ZonotopeError("could not find generic auxiliary vectors")  # pragma: no cover


def _stream_pieces(arr, normals, cone, aux, rays, want_points, seen):
    """Final pieces ``(packed, points, exact_points, n_exact)`` of one sweep run.

    ``normals = (N0, N, c)``: the cone normals, their column-balanced copy ``N = N0 D``
    (the sweep runs on it) and the exponents ``c`` of ``D`` (``None``: no scaling).
    """
    N0, N, c = normals
    n_h = N.shape[0]
    red = _reduce(N, aux)
    k0 = len(red.lineality)
    sw = Sweep(red.er, list(range(red.n_classes, red.n_classes + N.shape[1])), want_points)
    idx = np.arange(red.n_classes)
    trivial = (red.n_classes == n_h and np.array_equal(red.cls, np.arange(n_h))
               and bool(np.all(red.orient == 1)))
    lattice = _lattice_for_sweep(red, max_flats=_STREAM_MAX_FLATS)
    if lattice:
        lsw = LatticeSweep(red.er, list(range(red.n_classes, red.n_classes + N.shape[1])),
                           red.n_classes, lattice, want_points)
        pieces = ((2 * np.unpackbits(np.ascontiguousarray(P).view(np.uint8), axis=1,
                                     count=red.n_classes).astype(np.int8) - 1, pp)
                  for P, pp in lsw.stream(max(1, rays // 4)))
        sw = lsw
    else:
        pieces = sw.stream_all(idx, k0, rays)
    for s, p in pieces:
        if s.shape[0] == 0:
            continue
        before = sw.n_exact
        exact = {}
        signs = s if trivial else s[:, red.cls] * red.orient
        if cone:
            keep = signs[:, -1] > 0
            signs = signs[keep, :-1]
            s = s[keep]
            if want_points:
                p = p[keep]
        packed = np.packbits(signs > 0, axis=1)
        if want_points and packed.shape[0]:
            P = np.packbits(s > 0, axis=1)
            p = np.array(p, dtype=np.float64)
            if cone:
                p, exact = _affine_points(arr, N0, red, c, packed, P, p)
            else:
                p, exact = _central_points(N0, red, c, P, p)
        if seen is not None and seen.shape[0] and packed.shape[0]:
            keep = ~packed_isin(packed, seen)
            packed = packed[keep]
            if want_points:
                rows = np.nonzero(keep)[0]
                p = p[rows]
                pos = np.full(keep.size, -1, dtype=np.intp)
                pos[rows] = np.arange(rows.size)
                exact = {int(pos[r]): w for r, w in exact.items() if pos[r] >= 0}
        if packed.shape[0]:
            yield packed, (p if want_points else None), exact, sw.n_exact - before


class _BlockBuffer:
    """Cuts a stream of pieces into sorted :class:`ChamberSet` blocks of a fixed size."""

    def __init__(self, arr, size, want_points):
        self.arr, self.size, self.want_points = arr, size, want_points
        self.parts, self.n, self.n_exact = [], 0, 0
        self.t0 = time.perf_counter()

    def push(self, packed, pts, exact, n_exact):
        self.parts.append((packed, pts, exact))
        self.n += packed.shape[0]
        self.n_exact += n_exact
        while self.n >= self.size:
            yield self._cut(self.size)

    def flush(self):
        while self.n:
            yield self._cut(min(self.n, self.size))

    def _cut(self, k):
        P = np.concatenate([q[0] for q in self.parts])
        pts = np.concatenate([q[1] for q in self.parts]) if self.want_points else None
        exact, off = {}, 0
        for q in self.parts:
            exact.update({off + r: w for r, w in q[2].items()})
            off += q[0].shape[0]
        head, rest = P[:k], P[k:]
        self.parts = [(rest, None if pts is None else pts[k:],
                       {r - k: w for r, w in exact.items() if r >= k})] if rest.shape[0] else []
        self.n -= k
        head = np.ascontiguousarray(head)
        order = packed_order(head) if head.shape[1] else np.arange(k)
        head = np.ascontiguousarray(head[order])
        head.flags.writeable = False
        hp = None
        ex = {}
        if pts is not None:
            hp = np.ascontiguousarray(pts[:k][order])
            hp.flags.writeable = False
            inv = np.empty(k, dtype=np.intp)
            inv[order] = np.arange(k)
            ex = {int(inv[r]): w for r, w in exact.items() if r < k}
        t = time.perf_counter()
        cs = ChamberSet(self.arr, head, hp, "sweep", t - self.t0, self.n_exact, {"exact_points": ex})
        self.t0, self.n_exact = t, 0
        return cs
