"""The exact-ERM checkpoint: one sealed JSON file, locked while a run uses it (internal).

Built on the toolkit's one checkpoint module :mod:`zonotope._checkpoint`: the file is
written atomically and durably (``write_sealed_json``), carries a SHA-256 seal of its
content (``read_sealed_json`` refuses an edited or damaged file, naming it), and a
:class:`~zonotope._checkpoint.DirectoryLock` on ``.<name>.lock`` beside it keeps two
runs from working on one checkpoint.  A failed write (full disk, file-size limit)
raises one :class:`~zonotope.exceptions.CheckpointError` and leaves the previous
file valid; later saves of the same run are skipped, so the error is not repeated.

Content (``"format": "relu.exact_erm"``, ``"version": 2``): the run's
``fingerprint`` (SHA-256 of the data, labels, second layer, number of units, loss,
ridge, bias switch, chamber count and chunk size), ``total``, ``chunk_size``,
``n_chunks``, the finished chunks ``done`` as ``[start, stop)`` ranges, the best
vertex ``best = {index, objective, loss, status}`` and the counts ``n_solves``,
``n_pruned``.  Weights are not stored: the driver re-solves the best vertex before
reporting it, which also confirms the recorded objective.

Examples
--------
>>> ranges_of({0, 1, 2, 5, 7, 8})
[[0, 3], [5, 6], [7, 9]]
>>> sorted(set_of([[0, 3], [5, 6]]))
[0, 1, 2, 5]
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import numbers
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from zonotope._checkpoint import DirectoryLock, read_sealed_json, write_sealed_json
from zonotope.exceptions import CheckpointError, DamagedFileError, ValidationError

from ._checks import fail

__all__ = ["Progress", "ErmCheckpoint", "check_checkpoint_path", "fingerprint", "ranges_of",
           "set_of", "SAVE_EVERY"]

FORMAT = "relu.exact_erm"
VERSION = 2
#: Default seconds between two checkpoint writes during a run (plus one at the end or
#: when the run stops).
SAVE_EVERY = 2.0
WHAT = "exact-ERM checkpoint"


@dataclass
class Progress:
    """Mutable progress of a run: finished chunks, best vertex, counts (kept-problem units)."""

    done: set = field(default_factory=set)
    best_index: int = -1
    best_objective: float = math.inf
    best_loss: float | None = None
    best_status: str | None = None
    n_solves: int = 0
    n_pruned: int = 0
    resumed: int = 0

    def merge(self, out):
        """Fold a chunk's outcome in (lowest objective, ties by lowest index)."""
        self.n_solves += int(out["solved"])
        self.n_pruned += int(out["pruned"])
        if out["index"] >= 0 and (out["objective"], out["index"]) < (self.best_objective,
                                                                      self.best_index):
            self.best_objective, self.best_index = float(out["objective"]), int(out["index"])
            self.best_loss, self.best_status = out["loss"], out["status"]


def ranges_of(done):
    """Sorted chunk ids as ``[start, stop)`` ranges."""
    out = []
    for c in sorted(done):
        if out and out[-1][1] == c:
            out[-1][1] = c + 1
        else:
            out.append([c, c + 1])
    return out


def set_of(ranges):
    """Inverse of :func:`ranges_of`."""
    return {c for a, b in ranges for c in range(a, b)}


def fingerprint(problem, n_chambers, chunk_size):
    """SHA-256 identifying a run: what must match for a checkpoint to be resumed."""
    h = hashlib.sha256()
    X = problem.X_kept
    if X.dtype == object:
        h.update(repr(X.tolist()).encode())
    else:
        h.update(np.ascontiguousarray(X, dtype=np.float64).tobytes())
    h.update(str(problem.X.shape).encode())
    for a in (problem.y, problem.second_layer):
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    h.update(f"{problem.n_units}|{problem.loss.name}|{problem.ridge!r}|{problem.bias}|"
             f"{n_chambers}|{chunk_size}|{FORMAT} v{VERSION}".encode())
    return h.hexdigest()


def check_checkpoint_path(checkpoint, func):
    """Validate ``checkpoint`` (None or a file path in an existing directory)."""
    if checkpoint is None:
        return None
    if not isinstance(checkpoint, (str, os.PathLike)):
        fail("checkpoint", func, "None or a file path", type(checkpoint).__name__)
    path = Path(checkpoint)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail("checkpoint", func, "a file in an existing directory",
             f"{str(path)!r} (the directory {str(parent)!r} does not exist)")
    if path.is_dir():
        fail("checkpoint", func, "a file path, not a directory", repr(str(path)))
    return path


def _damaged(path, what):
    raise DamagedFileError(f"the {WHAT} {str(path)!r} {what}; delete it to start over")


def _is_int(x):
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_num(x):
    return isinstance(x, (numbers.Real,)) and not isinstance(x, bool)


class ErmCheckpoint:
    """The checkpoint file of one run (``path=None``: no checkpoint, every call a no-op).

    Use as a context manager: entering takes the lock (raising
    :class:`~zonotope.exceptions.CheckpointLockedError` when another process holds
    it) and removes temporary files a killed writer of this checkpoint left behind.
    """

    def __init__(self, path, fp, total, chunk_size, n_chunks, every=SAVE_EVERY):
        self.path = path
        self.every = float(every)
        self.fp, self.total, self.chunk_size, self.n_chunks = fp, total, chunk_size, n_chunks
        self.failed = False
        self._last = -math.inf
        self._lock = None

    def __enter__(self):
        if self.path is not None:
            lock = DirectoryLock(self.path.parent if str(self.path.parent) else Path("."),
                                 name=f".{self.path.name}.lock")
            lock.__enter__()
            self._lock = lock
            self._remove_temporaries()
        return self

    def __exit__(self, *exc):
        if self._lock is not None:
            self._lock.__exit__(*exc)
            self._lock = None
        return False

    def _remove_temporaries(self):
        # Temporary names of zonotope._checkpoint.atomic_write_bytes for this file only
        # (".tmp-<name>.<random>"); other files in the directory are not touched.
        prefix = f".tmp-{self.path.name}."
        directory = self.path.parent if str(self.path.parent) else Path(".")
        with contextlib.suppress(OSError):
            for p in directory.iterdir():
                if p.name.startswith(prefix):
                    with contextlib.suppress(OSError):
                        p.unlink()

    def load(self):
        """The saved :class:`Progress`, or None when there is no file yet.

        Raises
        ------
        DamagedFileError
            Unreadable, empty, not JSON, edited (seal mismatch) or malformed content.
        ValidationError
            The file belongs to another run.
        """
        if self.path is None or not self.path.exists():
            return None
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(64).lstrip()
        except OSError:
            head = b""
        if head and not head.startswith(b"{"):
            raise DamagedFileError(f"the file {str(self.path)!r} given as `checkpoint` is not an "
                                   f"{WHAT} (it is not a JSON object); choose another file name")
        ck = read_sealed_json(self.path, what=WHAT)
        need = {"format", "version", "fingerprint", "total", "chunk_size", "n_chunks", "done",
                "best", "n_solves", "n_pruned"}
        missing = sorted(need - set(ck))
        if missing:
            _damaged(self.path, f"lacks the entries {missing}")
        if ck["format"] != FORMAT or ck["version"] != VERSION:
            _damaged(self.path, f"has format {ck['format']!r} version {ck['version']!r}, not "
                     f"{FORMAT!r} version {VERSION}")
        if ck["fingerprint"] != self.fp:
            raise ValidationError(
                f"`checkpoint` of `exact_erm` must belong to this run; got {str(self.path)!r}, "
                "written for different data, second layer, number of units, loss, ridge, bias "
                "or chunk size instead. Delete it or choose another file.")
        if (ck["total"], ck["chunk_size"], ck["n_chunks"]) != (self.total, self.chunk_size,
                                                              self.n_chunks):
            _damaged(self.path, "records another number of vertices or chunks than its "
                     "fingerprint implies")
        done = ck["done"]
        if not isinstance(done, list) or not all(
                isinstance(r, list) and len(r) == 2 and all(_is_int(c) for c in r)
                and 0 <= r[0] < r[1] <= self.n_chunks for r in done):
            _damaged(self.path, "has a malformed list of finished chunks")
        b = ck["best"]
        if not isinstance(b, dict) or set(b) != {"index", "objective", "loss", "status"}:
            _damaged(self.path, "has a malformed best vertex")
        prog = Progress(done=set_of(done), resumed=0)
        if b["index"] is not None:
            if not (_is_int(b["index"]) and 0 <= b["index"] < self.total and _is_num(b["objective"])
                    and _is_num(b["loss"]) and isinstance(b["status"], str)):
                _damaged(self.path, "has a malformed best vertex")
            prog.best_index, prog.best_objective = int(b["index"]), float(b["objective"])
            prog.best_loss, prog.best_status = float(b["loss"]), b["status"]
        if not (_is_int(ck["n_solves"]) and _is_int(ck["n_pruned"]) and ck["n_solves"] >= 0
                and ck["n_pruned"] >= 0):
            _damaged(self.path, "has malformed counts")
        prog.n_solves, prog.n_pruned = int(ck["n_solves"]), int(ck["n_pruned"])
        prog.resumed = len(prog.done)
        return prog

    def save(self, prog, *, final=False):
        """Write ``prog`` (at most every ``every`` seconds unless ``final``).

        A failed write raises :class:`~zonotope.exceptions.CheckpointError` once; the
        run's later saves are then skipped (the previous file stays valid).
        """
        if self.path is None or self.failed:
            return
        now = time.monotonic()
        if not final and now - self._last < self.every:
            return
        has_best = prog.best_index >= 0
        content = {
            "format": FORMAT, "version": VERSION, "fingerprint": self.fp, "total": self.total,
            "chunk_size": self.chunk_size, "n_chunks": self.n_chunks,
            "done": ranges_of(prog.done),
            "best": {"index": prog.best_index if has_best else None,
                     "objective": prog.best_objective if has_best else None,
                     "loss": prog.best_loss if has_best else None,
                     "status": prog.best_status if has_best else None},
            "n_solves": prog.n_solves, "n_pruned": prog.n_pruned}
        try:
            write_sealed_json(self.path, content)
        except CheckpointError:
            self.failed = True
            raise
        self._last = now
