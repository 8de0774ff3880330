r"""Out-of-core chamber enumeration: progress bar, interruption, resume, integrity.

For arrangements with tens of millions of chambers the in-memory
:func:`zonotope.enumerate_chambers` may not fit; :func:`enumerate_chambers_to_disk`
runs the same exact sweep in blocks of rays and appends each finished block to a
directory, so an interrupted run (Ctrl-C, SIGTERM, a killed job) resumes where it
stopped and never loses a finished block.

Decomposition (see ``docs/exactness.md``, Theorem 2): with ``R`` the chambers that
meet the hyperplane ``c^perp`` (the restriction's chambers, computed first) and ``LV``
split by the first hyperplane of each ray's spanning subset,
``All = R  u  {C, -C : C in LV \ R}`` and these pieces are pairwise disjoint, so the
blocks can be written independently.

**Nothing is trusted blindly** (all file handling is :mod:`zonotope._checkpoint`):

* every block is written atomically with :func:`~zonotope._checkpoint.save_array`;
  its integrity record (SHA-256, bytes, rows) goes into ``state.json``, which is
  *sealed* (a checksum of its content) and also lists the planned blocks;
* every run and every :meth:`ChamberStore.load` verifies every block: a damaged,
  truncated, emptied or deleted block is recomputed by the next run, and ``load`` of
  an incomplete or damaged store raises an error naming the block;
* an edited, empty or invalid ``state.json`` is a
  :class:`~zonotope.exceptions.DamagedFileError` naming the file;
* one writer at a time (:class:`~zonotope._checkpoint.DirectoryLock`: a second one
  gets :class:`~zonotope.exceptions.CheckpointLockedError` naming the holder), and
  temporaries left by a killed writer are removed by the next run;
* a full disk is one :class:`~zonotope.exceptions.CheckpointError` (the temporary
  file removed, the store still resumable).
"""

from __future__ import annotations

import hashlib
import json
import re
from math import comb
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._checkpoint import (
    DirectoryLock,
    load_array,
    read_sealed_json,
    remove_stale_temporaries,
    save_array,
    write_sealed_json,
)
from ._enumerate import (
    _AUX_BOUND,
    _MAX_RESTARTS,
    _reduce,
)
from ._sweep import NonGenericAux, Sweep, _combos
from ._validation import check_rng
from .arrangement import Arrangement
from .chambers import (
    DEFAULT_MAX_CHAMBERS,
    ChamberSet,
    _as_central,
    _check_limit,
)
from .exceptions import (
    CheckpointError,
    DamagedFileError,
    TooLargeError,
    ValidationError,
    ZonotopeError,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterator

    from numpy.typing import ArrayLike

__all__ = ["ChamberStore", "enumerate_chambers_to_disk"]

_FORMAT = 2
#: Refuse (unless ``max_chambers=None``) runs whose sweep would hold more signs than
#: this in memory at once (one byte each).
_MEMORY_SIGNS = 4 * 2**30
_STATE = "state.json"
_WHAT = "state file of the chamber store"
_OURS = re.compile(r"^(\.lock|\.tmp-.*)$")  # what a killed writer may leave before state.json
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


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


def _read_state(path):
    """The verified content of ``path/state.json`` (typed errors for anything odd)."""
    file = path / _STATE
    try:
        raw = json.loads(file.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        raw = None
    if isinstance(raw, dict) and raw.get("format") == 1 and "sha256" not in raw:
        raise DamagedFileError(f"the {_WHAT} {str(file)!r} was written by an older version "
                               "(format 1, without checksums); delete the directory to start over")
    state = read_sealed_json(file, what=_WHAT)
    keys = {"format", "fingerprint", "n_hyperplanes", "seed", "attempt", "block_rays", "plan",
            "blocks", "complete"}
    ok = (set(state) == keys and state["format"] == _FORMAT and isinstance(state["blocks"], dict)
          and (state["plan"] is None or (isinstance(state["plan"], list)
                                          and set(state["blocks"]) <= set(state["plan"]))))
    if not ok:
        raise DamagedFileError(f"the {_WHAT} {str(file)!r} is not a state this version can use "
                               "(unknown format or inconsistent fields); delete the directory to "
                               "start over")
    return state


class ChamberStore:
    """A directory of bit-packed chamber blocks written by :func:`enumerate_chambers_to_disk`.

    Opening a store reads and verifies its sealed ``state.json``; the blocks are
    verified (size, row count, SHA-256) when they are read.

    Parameters
    ----------
    path : str or Path

    Raises
    ------
    ValidationError
        ``path`` is not a chamber store (no ``state.json``).
    DamagedFileError
        ``state.json`` is empty, invalid or was edited.

    Attributes
    ----------
    path : pathlib.Path
    n_hyperplanes : int
    complete : bool
        Every planned block is written.
    n_chambers : int
        Chambers written so far (from the verified state).

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

    The blocks, read back verified; a restart discards them, and a writer records its
    blocks and marks the store complete:

    >>> with tempfile.TemporaryDirectory() as d:
    ...     st = enumerate_chambers_to_disk(A, d, progress=False)
    ...     rows = np.concatenate(list(st.iter_blocks()))     # packed sign rows
    ...     st.discard_blocks(attempt=1)
    ...     before = (st.n_chambers, st.complete)
    ...     st.write_block("b0", rows)
    ...     st.mark_complete()
    ...     before, (st.n_chambers, st.complete), st.load(A).n_chambers
    ((0, False), (6, True), 6)
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        if not (self.path / _STATE).exists():
            raise ValidationError(f"`path` of `ChamberStore` must be a chamber directory; "
                                  f"{str(path)!r} has no {_STATE}.")
        self._state = _read_state(self.path)

    @property
    def n_hyperplanes(self) -> int:
        """Number of hyperplanes of the arrangement."""
        return int(self._state["n_hyperplanes"])

    @property
    def complete(self) -> bool:
        """Whether every planned block is written (from the plan, not from a flag)."""
        plan = self._state["plan"]
        return plan is not None and set(plan) == set(self._state["blocks"])

    @property
    def n_chambers(self) -> int:
        """Chambers written so far."""
        return int(sum(rec["rows"] for rec in self._state["blocks"].values()))

    @property
    def missing_blocks(self) -> list[str]:
        """Names of the planned blocks not written yet (all of them before planning)."""
        plan = self._state["plan"]
        if plan is None:
            return ["(not planned yet)"]
        return [b for b in plan if b not in self._state["blocks"]]

    def verify(self) -> list[str]:
        """Check every written block against its record; return the names of the bad ones.

        Examples
        --------
        >>> import tempfile
        >>> from zonotope import Arrangement
        >>> with tempfile.TemporaryDirectory() as d:
        ...     st = enumerate_chambers_to_disk(Arrangement.from_points([[0.0], [1.0]]), d,
        ...                                     progress=False)
        ...     st.verify()
        []
        """
        bad = []
        for name, rec in sorted(self._state["blocks"].items()):
            try:
                load_array(self.path / f"{name}.npy", rec)
            except DamagedFileError:
                bad.append(name)
        return bad

    def iter_blocks(self) -> Iterator[np.ndarray]:
        """Yield the packed sign rows (uint8, ``np.packbits`` order) block by block, verified.

        Raises
        ------
        DamagedFileError
            A block does not match its record (the message names it).
        """
        for name in sorted(self._state["blocks"]):
            yield self._load_block(name)

    def _load_block(self, name):
        arr = load_array(self.path / f"{name}.npy", self._state["blocks"][name])
        width = (self.n_hyperplanes + 7) // 8
        if arr.dtype != np.uint8 or arr.ndim != 2 or arr.shape[1] != width:
            raise DamagedFileError(f"block {name!r} of the chamber store {str(self.path)!r} is not "
                                   f"a packed sign array of width {width}")
        return arr

    def load(self, arrangement: Arrangement) -> ChamberSet:
        """All chambers as a :class:`ChamberSet` (sorted; no interior points), verified.

        Raises
        ------
        ValidationError
            ``arrangement`` is not the one of this store.
        CheckpointError
            The store is incomplete (the message names the missing blocks).
        DamagedFileError
            A block is damaged, truncated, emptied or deleted (the message names it).
        """
        if not isinstance(arrangement, Arrangement) or \
                _fingerprint(arrangement) != self._state["fingerprint"]:
            raise ValidationError("`arrangement` of `ChamberStore.load` is not the one this store "
                                  "was made for.")
        if not self.complete:
            miss = self.missing_blocks
            raise CheckpointError(
                f"the chamber store {str(self.path)!r} is incomplete: {len(miss)} block(s) missing "
                f"({', '.join(miss[:3])}{', ...' if len(miss) > 3 else ''}); run "
                "enumerate_chambers_to_disk (or the same `zonotope chambers --out` command) again "
                "to resume it")
        parts = list(self.iter_blocks())
        width = (arrangement.n_hyperplanes + 7) // 8
        P = np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.uint8)
        P = np.ascontiguousarray(P)
        if P.shape[1] and P.shape[0] > 1:
            P = P[np.argsort(P.view(np.dtype((np.void, P.shape[1]))).ravel(), kind="stable")]
        P.flags.writeable = False
        return ChamberSet(arrangement, P, None, "sweep-disk", 0.0, 0)

    # ------------------------------------------------------------ writing (drivers)
    @classmethod
    def open(cls, path: str | os.PathLike[str], arrangement: Arrangement, *, seed: int = 0) -> ChamberStore:
        """The store for ``arrangement`` at ``path``, created empty if it does not exist.

        An existing store is verified: damaged blocks are dropped (so a driver
        recomputes them).  For drivers that write their own blocks
        (:meth:`write_block`, :meth:`mark_complete`); the caller should hold the
        directory's lock while writing.

        Examples
        --------
        >>> import tempfile
        >>> from zonotope import Arrangement
        >>> A = Arrangement([[1, 0], [0, 1]])
        >>> with tempfile.TemporaryDirectory() as d:
        ...     st = ChamberStore.open(d, A)
        ...     st.write_block("b0", np.packbits([[1, 1], [0, 1]], axis=1))
        ...     st.has_block("b0"), st.n_chambers, st.complete
        (True, 2, False)
        """
        func = "ChamberStore.open"
        path = Path(path)
        if not isinstance(arrangement, Arrangement):
            raise ValidationError(f"`arrangement` of `{func}` must be an Arrangement; "
                                  f"got {type(arrangement).__name__} instead.")
        _prepare_directory(path, func)
        fp = _fingerprint(arrangement)
        if (path / _STATE).exists():
            state = _read_state(path)
            if state["fingerprint"] != fp:
                raise ValidationError(f"`path` of `{func}` holds a run for another arrangement: "
                                      f"{str(path)!r}; use an empty directory.")
            _verify_blocks(path, state)
        else:
            _write_state(path, {"format": _FORMAT, "fingerprint": fp,
                                "n_hyperplanes": arrangement.n_hyperplanes, "seed": int(seed),
                                "attempt": 0, "block_rays": 0, "plan": None, "blocks": {},
                                "complete": False})
        return cls(path)

    @property
    def seed(self) -> int:
        """Seed of the auxiliary vectors of the run stored here."""
        return int(self._state["seed"])

    @property
    def attempt(self) -> int:
        """Restart counter of the auxiliary vectors (stored, so a resumed run uses the same)."""
        return int(self._state["attempt"])

    def has_block(self, name: str) -> bool:
        """True when the block ``name`` is written (and was intact when the store was opened)."""
        return name in self._state["blocks"]

    def write_block(self, name: str, packed: ArrayLike) -> None:
        """Write one block of packed sign rows atomically and record its checksum."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValidationError("`name` of `ChamberStore.write_block` must be letters, digits, "
                                  f"'_' or '-'; got {name!r} instead.")
        if self._state["plan"] is not None and name not in self._state["plan"]:
            raise ValidationError(f"`name` of `ChamberStore.write_block` must be a planned block; "
                                  f"got {name!r} instead.")
        _save_block(self.path, self._state, name, np.ascontiguousarray(packed, dtype=np.uint8))

    def discard_blocks(self, *, attempt: int | None = None) -> None:
        """Remove every block and the plan (a restart with new auxiliary vectors)."""
        for name in list(self._state["blocks"]):
            (self.path / f"{name}.npy").unlink(missing_ok=True)
        self._state["blocks"] = {}
        self._state["plan"] = None
        self._state["complete"] = False
        if attempt is not None:
            self._state["attempt"] = int(attempt)
        _write_state(self.path, self._state)

    def mark_complete(self) -> None:
        """Record that every block is written (the written blocks become the plan)."""
        if self._state["plan"] is None:
            self._state["plan"] = sorted(self._state["blocks"])
        elif set(self._state["plan"]) != set(self._state["blocks"]):
            raise CheckpointError(f"the chamber store {str(self.path)!r} cannot be complete: "
                                  f"blocks {self.missing_blocks[:3]} are missing")
        self._state["complete"] = True
        _write_state(self.path, self._state)

    def __repr__(self):
        return (f"<ChamberStore {str(self.path)!r}: {self.n_chambers} chambers, "
                f"{'complete' if self.complete else 'incomplete'}>")


def _write_state(path, state):
    write_sealed_json(path / _STATE, state)


def _save_block(path, state, name, packed):
    """Write one block atomically, then record it (and seal the state)."""
    state["blocks"][name] = save_array(path / f"{name}.npy", packed)
    _write_state(path, state)


def _prepare_directory(path, func):
    """Create ``path``, or check that it is empty or a chamber store (typed errors)."""
    if path.exists() and not path.is_dir():
        raise ValidationError(f"`path` of `{func}` must be a directory; {str(path)!r} is an "
                              "existing file.")
    if path.is_dir() and not (path / _STATE).exists():
        foreign = sorted(p.name for p in path.iterdir() if not _OURS.match(p.name))
        if foreign:
            raise ValidationError(
                f"`path` of `{func}` must be an empty directory or a chamber store (with a "
                f"{_STATE}); {str(path)!r} holds other files (e.g. {foreign[0]!r}). Use a new "
                "directory.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CheckpointError(f"could not create the directory {str(path)!r}: "
                              f"{exc.strerror or exc}") from None


def _verify_blocks(path, state):
    """Drop the records of damaged blocks (they are recomputed); True if any was dropped."""
    bad = []
    for name, rec in state["blocks"].items():
        try:
            load_array(path / f"{name}.npy", rec)
        except DamagedFileError:
            bad.append(name)
    for name in bad:
        del state["blocks"][name]
        (path / f"{name}.npy").unlink(missing_ok=True)
    if bad:
        state["complete"] = False
        _write_state(path, state)
    return bad


def _remove_unrecorded_blocks(path, state):
    for p in path.glob("block-*.npy"):
        if p.name[:-4] not in state["blocks"]:
            p.unlink(missing_ok=True)


def enumerate_chambers_to_disk(arr: Arrangement, path: str | os.PathLike[str], *, block_rays: int = 1_000_000,
                               progress: bool = True, max_chambers: int = DEFAULT_MAX_CHAMBERS * 20,
                               rng: int | np.random.Generator | None = 0,
                               _stop_after: int | None = None) -> ChamberStore:
    """Enumerate every chamber into the directory ``path``; resumable and verified.

    Parameters
    ----------
    arr : Arrangement
    path : str or Path
        Output directory (created).  It must be empty, new, or a store of the same
        arrangement: an unfinished run is resumed (finished blocks are kept), a
        finished one is verified (and damaged blocks recomputed).
    block_rays : int
        Approximate number of rays per block (memory ~ ``block_rays * n_hyperplanes``
        bytes).  Recorded in the store; a resumed run uses the recorded value.
    progress : bool
        Show a tqdm progress bar over blocks.
    max_chambers : int or None
        Refuse runs whose a-priori bound exceeds this (``None``: no limit).
    rng : int or None
        Seed of the auxiliary vectors (recorded, so a resumed run uses the same ones;
        the set of chambers does not depend on it).

    Returns
    -------
    ChamberStore

    Raises
    ------
    ValidationError
        Bad arguments; ``path`` is a file, an unrelated non-empty directory, or a store
        of another arrangement.
    TooLargeError
        The a-priori bound exceeds ``max_chambers``, or the sweep would hold more than
        ``2^32`` signs (bytes) in memory at once (``max_chambers=None`` disables both).
    CheckpointLockedError
        Another process is writing this store.
    DamagedFileError
        ``state.json`` is empty, invalid or edited.
    CheckpointError
        A file could not be written (e.g. a full disk); the store stays resumable.

    Examples
    --------
    >>> import tempfile
    >>> from zonotope import Arrangement
    >>> A = Arrangement.from_points([[0., 0.], [1., 0.], [0., 1.], [2., 3.], [5., 1.]])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     st = enumerate_chambers_to_disk(A, d, block_rays=3, progress=False)
    ...     (st.complete, st.n_chambers, len(st.load(A)), st.verify())
    (True, 22, 22, [])
    """
    import numbers

    func = "enumerate_chambers_to_disk"
    if not isinstance(arr, Arrangement):
        raise ValidationError(f"`arr` of `{func}` must be an Arrangement; got {type(arr).__name__} instead.")
    if isinstance(block_rays, bool) or not isinstance(block_rays, numbers.Integral) or block_rays < 1:
        raise ValidationError(f"`block_rays` of `{func}` must be a positive int; got {block_rays!r} instead.")
    rng = 0 if rng is None else rng
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral) or rng < 0:
        raise ValidationError(f"`rng` of `{func}` must be a non-negative int (the recorded seed); "
                              f"got {rng!r} instead.")
    _check_limit(arr, max_chambers, func)
    if max_chambers is not None:
        _check_memory(arr, int(block_rays), func)
    path = Path(path)
    _prepare_directory(path, func)
    with DirectoryLock(path):
        remove_stale_temporaries(path)
        return _enumerate_locked(arr, path, int(block_rays), progress, int(rng), _stop_after, func)


def _check_memory(arr, block_rays, func):
    """Refuse when the rays held at once times the hyperplanes exceed the memory budget.

    Rank <= 2: all ``n`` rays at once; otherwise the restriction's ``C(n, r - 2)`` rays
    and one block of ``max(block_rays, C(n - 1, r - 2))`` rays.
    """
    from .chambers import _human_bytes

    N, _ = _as_central(arr)
    n, dim = N.shape
    r = min(n, dim)
    rays = n if r <= 2 else max(comb(n, r - 2), block_rays, comb(n - 1, r - 2))
    if rays * n > _MEMORY_SIGNS:
        raise TooLargeError(
            f"{func} would hold {rays:,} rays x {n:,} hyperplanes = {rays * n:.3g} signs in memory "
            f"at once (about {_human_bytes(rays * n)}, > {_human_bytes(_MEMORY_SIGNS)}); pass "
            "max_chambers=None to run anyway")


def _enumerate_locked(arr, path, block_rays, progress, seed, stop_after, func):
    fp = _fingerprint(arr)
    if (path / _STATE).exists():
        state = _read_state(path)
        if state["fingerprint"] != fp:
            raise ValidationError(f"`path` of `{func}` holds a run for another arrangement: "
                                  f"{str(path)!r}; use an empty directory.")
    else:
        state = {"format": _FORMAT, "fingerprint": fp, "n_hyperplanes": arr.n_hyperplanes,
                 "seed": seed, "attempt": 0, "block_rays": block_rays, "plan": None, "blocks": {},
                 "complete": False}
        _write_state(path, state)
    _remove_unrecorded_blocks(path, state)
    _verify_blocks(path, state)
    if state["complete"] and state["plan"] is not None and set(state["plan"]) == set(state["blocks"]):
        return ChamberStore(path)
    N, cone = _as_central(arr)
    n_h, dim = N.shape
    stops = [0]
    while True:
        gen = check_rng(state["seed"] + 7919 * state["attempt"])
        aux = gen.integers(-_AUX_BOUND, _AUX_BOUND + 1, size=(dim, dim))
        try:
            done = _run(arr, N, cone, aux, path, state, progress, stop_after, stops)
        except NonGenericAux:
            # the auxiliary vectors were degenerate somewhere: the decomposition changes,
            # so discard the blocks written with them and start over with new ones
            for name in list(state["blocks"]):
                (path / f"{name}.npy").unlink(missing_ok=True)
            state["blocks"] = {}
            state["plan"] = None
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


def _record_plan(path, state, plan):
    """Record the planned block names, or check them against the recorded ones."""
    if state["plan"] is None:
        state["plan"] = plan
        _write_state(path, state)
    elif state["plan"] != plan:
        raise DamagedFileError(
            f"the {_WHAT} {str(path / _STATE)!r} plans other blocks than this arrangement and "
            "seed give (the state does not belong to these blocks); delete the directory to "
            "start over")


def _run(arr, N, cone, aux, path, state, progress, stop_after, stops):
    n_h, dim = N.shape
    block_rays = int(state["block_rays"])
    red = _reduce(N, aux)
    k0 = len(red.lineality)
    m = red.rank
    sw = Sweep(red.er, list(range(red.n_classes, red.n_classes + dim)), False)
    idx = np.arange(red.n_classes)
    K = red.n_classes
    counts = state["blocks"]
    if m <= 2 or n_h == 0:
        _record_plan(path, state, ["block-all"])
        if "block-all" not in counts:
            if n_h == 0:
                P = np.zeros((1, 0), dtype=np.uint8)
            else:
                P, _ = sw.all(idx, k0)
            P = _finish(_expand(red, P, n_h), cone, n_h)
            _save_block(path, state, "block-all", P)
        return True
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
    _record_plan(path, state, ["block-R"] + [f"block-{b:06d}" for b in range(len(groups))])
    # R: the chambers meeting c^perp (the restriction), computed in memory
    R, _ = sw.all(idx, k0 + 1)
    Rkeys = np.ascontiguousarray(R).view(np.dtype((np.void, R.shape[1]))).ravel()
    if "block-R" not in counts:
        P = _finish(_expand(red, R, n_h), cone, n_h)
        _save_block(path, state, "block-R", P)
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
            _save_block(path, state, name, P)
            stops[0] += 1
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return True
