"""Out-of-core chamber enumeration: progress bar, interruption, resume.

For arrangements with tens of millions of chambers the in-memory
:func:`zonotope.enumerate_chambers` may not fit; :func:`enumerate_chambers_to_disk`
runs the same exact sweep in blocks of rays and appends each finished block to a
directory, so an interrupted run (Ctrl-C, a killed job) resumes where it stopped and
never loses a finished block.

Decomposition (see ``docs/exactness.md``, Theorem 2): with ``R`` the chambers that
meet the hyperplane ``c^perp`` (the restriction's chambers, computed first) and ``LV``
split by the first hyperplane of each ray's spanning subset,
``All = R  u  {C, -C : C in LV \\ R}`` and these pieces are pairwise disjoint, so the
blocks can be written independently.
"""

from __future__ import annotations

import hashlib
import json
import os
from math import comb
from pathlib import Path

import numpy as np

from ._sweep import NonGenericAux, Sweep, _combos
from ._validation import check_rng
from .arrangement import Arrangement
from .chambers import (
    _AUX_BOUND,
    _MAX_RESTARTS,
    DEFAULT_MAX_CHAMBERS,
    ChamberSet,
    _as_central,
    _check_limit,
    _reduce,
)
from .exceptions import ValidationError, ZonotopeError

__all__ = ["ChamberStore", "enumerate_chambers_to_disk"]

_FORMAT = 1


def _fingerprint(arr):
    h = hashlib.sha256()
    h.update(repr((arr.normals.shape, str(arr.normals.dtype))).encode())
    if arr.normals.dtype == object:
        h.update(repr([str(v) for v in arr.normals.flat]).encode())
        h.update(repr([str(v) for v in arr.offsets.flat]).encode())
    else:
        h.update(np.ascontiguousarray(arr.normals).tobytes())
        h.update(np.ascontiguousarray(np.asarray(arr.offsets, dtype=np.float64)).tobytes())
    return h.hexdigest()


class ChamberStore:
    """A directory of bit-packed chamber blocks written by :func:`enumerate_chambers_to_disk`.

    Attributes
    ----------
    path : pathlib.Path
    n_hyperplanes : int
    complete : bool
        All blocks are written.
    n_chambers : int
        Chambers written so far.

    Examples
    --------
    >>> import tempfile
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0.0], [1.0], [2.0]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     enumerate_chambers_to_disk(A, d, progress=False)
    ...     ChamberStore(d).n_chambers
    <ChamberStore ...: 6 chambers, complete>
    6
    """

    def __init__(self, path):
        self.path = Path(path)
        state = self.path / "state.json"
        if not state.exists():
            raise ValidationError(f"`path` of `ChamberStore` must be a chamber directory; {str(path)!r} has no state.json.")
        self._state = json.loads(state.read_text())

    @property
    def n_hyperplanes(self):
        return int(self._state["n_hyperplanes"])

    @property
    def complete(self):
        return bool(self._state["complete"])

    @property
    def n_chambers(self):
        return int(sum(self._state["block_counts"].values()))

    def iter_blocks(self):
        """Yield the packed sign rows (uint8, ``np.packbits`` order) block by block."""
        for name in sorted(self._state["block_counts"]):
            yield np.load(self.path / f"{name}.npy")

    def load(self, arrangement):
        """All chambers as a :class:`ChamberSet` (sorted; no interior points)."""
        if _fingerprint(arrangement) != self._state["fingerprint"]:
            raise ValidationError("`arrangement` of `ChamberStore.load` is not the one this store was made for.")
        if not self.complete:
            raise ZonotopeError(f"the chamber store {str(self.path)!r} is incomplete; run "
                                "enumerate_chambers_to_disk again to resume it")
        parts = list(self.iter_blocks())
        width = (arrangement.n_hyperplanes + 7) // 8
        P = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.uint8)
        P = np.ascontiguousarray(P)
        if P.shape[1] and P.shape[0] > 1:
            P = P[np.argsort(P.view(np.dtype((np.void, P.shape[1]))).ravel(), kind="stable")]
        P.flags.writeable = False
        return ChamberSet(arrangement, P, None, "sweep-disk", 0.0, 0)

    def __repr__(self):
        return (f"<ChamberStore {str(self.path)!r}: {self.n_chambers} chambers, "
                f"{'complete' if self.complete else 'incomplete'}>")


def _write_state(path, state):
    tmp = path / "state.json.tmp"
    tmp.write_text(json.dumps(state))
    os.replace(tmp, path / "state.json")


def _save_block(path, name, packed):
    tmp = path / f"{name}.tmp.npy"
    np.save(tmp, packed)
    os.replace(tmp, path / f"{name}.npy")


def enumerate_chambers_to_disk(arr, path, *, block_rays=1_000_000, progress=True,
                               max_chambers=DEFAULT_MAX_CHAMBERS * 20, rng=0, _stop_after=None):
    """Enumerate every chamber into the directory ``path``; resumable.

    Parameters
    ----------
    arr : Arrangement
    path : str or Path
        Output directory (created).  If it holds an unfinished run for the same
        arrangement, that run is resumed; finished blocks are kept.
    block_rays : int
        Approximate number of rays per block (memory ~ ``block_rays * n_hyperplanes``
        bytes).
    progress : bool
        Show a tqdm progress bar over blocks.
    max_chambers : int or None
        Refuse runs whose a-priori bound exceeds this (``None``: no limit).
    rng : int
        Seed of the auxiliary vectors (stored, so a resumed run uses the same ones).

    Returns
    -------
    ChamberStore

    Examples
    --------
    >>> import tempfile
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     st = enumerate_chambers_to_disk(A, d, block_rays=3, progress=False)
    ...     (st.complete, st.n_chambers, len(st.load(A)))
    (True, 22, 22)
    """
    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `enumerate_chambers_to_disk` must be an Arrangement; got {type(arr).__name__} instead.")
    _check_limit(arr, max_chambers, "enumerate_chambers_to_disk")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    fp = _fingerprint(arr)
    state_file = path / "state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else None
    if state is not None and (state.get("fingerprint") != fp or state.get("format") != _FORMAT):
        raise ValidationError(f"`path` of `enumerate_chambers_to_disk` holds a run for another "
                              f"arrangement: {str(path)!r}; use an empty directory.")
    if state is None:
        state = {"format": _FORMAT, "fingerprint": fp, "n_hyperplanes": arr.n_hyperplanes,
                 "seed": int(rng) if rng is not None else 0, "attempt": 0, "complete": False,
                 "block_counts": {}}
        _write_state(path, state)
    if state["complete"]:
        return ChamberStore(path)

    N, cone = _as_central(arr)
    n_h, dim = N.shape
    stops = [0]
    while True:
        gen = check_rng(state["seed"] + 7919 * state["attempt"])
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        try:
            done = _run(arr, N, cone, aux, path, state, block_rays, progress, _stop_after, stops)
        except NonGenericAux:
            # the auxiliary vectors were degenerate somewhere: the decomposition changes,
            # so discard the blocks written with them and start over with new ones
            for name in list(state["block_counts"]):
                (path / f"{name}.npy").unlink(missing_ok=True)
            state["block_counts"] = {}
            state["attempt"] += 1
            if state["attempt"] > _MAX_RESTARTS:  # pragma: no cover
                raise ZonotopeError("could not find generic auxiliary vectors") from None
            _write_state(path, state)
            continue
        if done:
            state["complete"] = True
            _write_state(path, state)
        return ChamberStore(path)


def _expand(red, packed_red, n_h):
    trivial = (red.n_classes == n_h and np.array_equal(red.cls, np.arange(n_h))
               and bool(np.all(red.orient == 1)))
    if trivial:
        return packed_red
    s = 2 * np.unpackbits(packed_red, axis=1, count=red.n_classes).astype(np.int8) - 1
    return np.packbits((s[:, red.cls] * red.orient) > 0, axis=1)


def _finish(packed, cone, n_h):
    if not cone:
        return packed
    bits = np.unpackbits(packed, axis=1, count=n_h)
    return np.packbits(bits[bits[:, -1] == 1, :-1], axis=1)


def _run(arr, N, cone, aux, path, state, block_rays, progress, stop_after, stops):
    n_h, dim = N.shape
    red = _reduce(N, aux)
    k0 = len(red.lineality)
    m = red.rank
    sw = Sweep(red.er, list(range(red.n_classes, red.n_classes + dim)), False)
    idx = np.arange(red.n_classes)
    K = red.n_classes
    counts = state["block_counts"]
    if m <= 2 or n_h == 0:
        if "block-all" not in counts:
            if n_h == 0:
                P = np.zeros((1, 0), dtype=np.uint8)
            else:
                P, _ = sw.all(idx, k0)
            P = _finish(_expand(red, P, n_h), cone, n_h)
            _save_block(path, "block-all", P)
            counts["block-all"] = int(P.shape[0])
            _write_state(path, state)
        return True
    # R: the chambers meeting c^perp (the restriction), computed in memory
    R, _ = sw.all(idx, k0 + 1)
    Rkeys = np.ascontiguousarray(R).view(np.dtype((np.void, R.shape[1]))).ravel()
    if "block-R" not in counts:
        P = _finish(_expand(red, R, n_h), cone, n_h)
        _save_block(path, "block-R", P)
        counts["block-R"] = int(P.shape[0])
        _write_state(path, state)
    # blocks of first indices: rays whose spanning subset starts at i
    sizes = [comb(K - i - 1, m - 2) for i in range(K)]
    groups, cur, acc = [], [], 0
    for i, sz in enumerate(sizes):
        if sz == 0:
            continue
        cur.append(i)
        acc += sz
        if acc >= block_rays:
            groups.append(cur)
            cur, acc = [], 0
    if cur:
        groups.append(cur)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(groups), desc="chamber blocks", unit="block",
                   initial=sum(1 for b in range(len(groups)) if f"block-{b:06d}" in counts))
    try:
        for b, firsts in enumerate(groups):
            name = f"block-{b:06d}"
            if name in counts:
                continue
            if stop_after is not None and stops[0] >= stop_after:
                return False
            loc = np.concatenate([
                np.concatenate([np.full((comb(K - i - 1, m - 2), 1), i, dtype=np.intp),
                                _combos(K - i - 1, m - 2) + i + 1], axis=1) for i in firsts])
            s, _ = sw._lv(idx, k0, loc)
            pos = np.packbits(s > 0, axis=1)
            keys = np.ascontiguousarray(pos).view(np.dtype((np.void, pos.shape[1]))).ravel()
            keep = ~np.isin(keys, Rkeys)
            pos = pos[keep]
            neg = np.packbits(s[keep] < 0, axis=1)
            P = _finish(_expand(red, np.concatenate([pos, neg]), n_h), cone, n_h)
            _save_block(path, name, P)
            counts[name] = int(P.shape[0])
            _write_state(path, state)
            stops[0] += 1
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return True
