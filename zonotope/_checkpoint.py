"""Durable files for resumable jobs: the one checkpoint module of the toolkit.

Both long-running jobs -- the out-of-core chamber store
(:mod:`zonotope.chamber_store`) and exact ERM (:mod:`relu.exact_erm`) -- save their
progress through these functions, so they share one set of guarantees:

* **Atomic writes.**  A file is written to a unique temporary name in the same
  directory, flushed and ``fsync``-ed, then renamed over the target with
  :func:`os.replace` (atomic on POSIX), and the directory entry is synced.  A reader
  sees the old file or the new one, never a torn one; a killed writer leaves at most
  a temporary file, which the next write to the same directory does not reuse.
* **Checksums.**  :func:`save_array` returns the SHA-256, byte size and row count of
  what it wrote; callers record them in their state file and :func:`load_array`
  verifies them before the bytes are trusted (raising :class:`DamagedFileError`,
  which callers treat as "recompute this part").  JSON state files are *sealed*:
  :func:`write_sealed_json` stores a SHA-256 of the canonical JSON of the content,
  and :func:`read_sealed_json` refuses a file whose content does not match it.
* **Clean failure.**  Every ``OSError`` while writing (a full disk, a file-size
  limit, a read-only directory) becomes a :class:`CheckpointError` that names the
  file and the reason; the temporary file is removed first, so the space is given
  back and the previous state stays valid for a resume.
* **One writer.**  :class:`DirectoryLock` takes an exclusive, non-blocking
  ``flock`` on a lock file; a second process gets :class:`CheckpointLockedError`
  naming the holder's PID instead of silently doing the same work.
* **SIGTERM = Ctrl-C.**  :func:`sigterm_as_keyboard_interrupt` makes a ``kill``
  behave like Ctrl-C, so the callers' ``KeyboardInterrupt`` path saves progress.

Examples
--------
>>> import tempfile, numpy as np
>>> from pathlib import Path
>>> d = Path(tempfile.mkdtemp())
>>> info = save_array(d / "block.npy", np.arange(6, dtype=np.uint8).reshape(3, 2))
>>> info["rows"], info["bytes"] > 0
(3, True)
>>> load_array(d / "block.npy", info).tolist()
[[0, 1], [2, 3], [4, 5]]
>>> write_sealed_json(d / "state.json", {"done": [0, 1]})
>>> read_sealed_json(d / "state.json", what="state file")
{'done': [0, 1]}
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import signal
import tempfile
import threading
from pathlib import Path

import numpy as np

from .exceptions import CheckpointError, CheckpointLockedError, DamagedFileError

__all__ = [
    "atomic_write_bytes",
    "remove_stale_temporaries",
    "save_array",
    "load_array",
    "write_sealed_json",
    "read_sealed_json",
    "sha256_hex",
    "DirectoryLock",
    "sigterm_as_keyboard_interrupt",
]

_TMP_PREFIX = ".tmp-"


def sha256_hex(data):
    """SHA-256 of ``bytes`` as a hex string.

    Examples
    --------
    >>> sha256_hex(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def _reason(exc):
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{os.strerror(exc.errno)} (errno {errno.errorcode.get(exc.errno, exc.errno)})"
    return str(exc) or type(exc).__name__


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path, data):
    """Write ``data`` to ``path`` atomically and durably.

    Parameters
    ----------
    path : str or Path
        Target file; its directory must exist.
    data : bytes

    Raises
    ------
    CheckpointError
        On any ``OSError`` (full disk, file-size limit, permissions, missing
        directory); the temporary file is removed and ``path`` is left as it was.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "x.bin"
    >>> atomic_write_bytes(p, b"abc"); p.read_bytes()
    b'abc'
    >>> atomic_write_bytes(Path(tempfile.mkdtemp()) / "missing" / "x.bin", b"")
    Traceback (most recent call last):
    ...
    zonotope.exceptions.CheckpointError: could not write ...
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX + path.name + ".", dir=directory)
        os.fchmod(fd, 0o666 & ~_umask())   # what open() would give, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        _fsync_dir(directory)
    except OSError as exc:
        after = ("the previous contents are unchanged and a rerun resumes from them"
                 if path.exists() else "nothing was written")
        raise CheckpointError(f"could not write {str(path)!r}: {_reason(exc)}; {after}") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def remove_stale_temporaries(directory):
    """Delete temporary files that a killed writer left in ``directory``.

    Only files made by :func:`atomic_write_bytes` (prefix ``.tmp-``) are touched.
    Call it while holding the directory's :class:`DirectoryLock`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> d = Path(tempfile.mkdtemp()); (d / ".tmp-x.npy.abc").write_bytes(b"0")
    1
    >>> remove_stale_temporaries(d)
    1
    """
    n = 0
    for p in Path(directory).glob(_TMP_PREFIX + "*"):
        with contextlib.suppress(OSError):
            p.unlink()
            n += 1
    return n


def save_array(path, array):
    """Save ``array`` in ``.npy`` format atomically; return its integrity record.

    Returns
    -------
    dict
        ``{"sha256": str, "bytes": int, "rows": int}`` -- store it in the state
        file and pass it to :func:`load_array`.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> rec = save_array(Path(tempfile.mkdtemp()) / "a.npy", np.zeros((0, 3), np.uint8))
    >>> rec["rows"], len(rec["sha256"])
    (0, 64)
    """
    buf = io.BytesIO()
    arr = np.ascontiguousarray(array)
    np.save(buf, arr, allow_pickle=False)
    data = buf.getvalue()
    atomic_write_bytes(path, data)
    return {"sha256": sha256_hex(data), "bytes": len(data), "rows": int(arr.shape[0]) if arr.ndim else 1}


def load_array(path, record):
    r"""Load an array saved by :func:`save_array`, verifying its integrity record.

    Raises
    ------
    DamagedFileError
        The file is missing, has another size, another checksum, another row count,
        or is not a valid ``.npy`` file.

    Examples
    --------
    >>> import tempfile, numpy as np
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "a.npy"
    >>> rec = save_array(p, np.ones((2, 2), np.uint8))
    >>> p.write_bytes(p.read_bytes()[:-1] + b"\x07") and None
    >>> load_array(p, rec)
    Traceback (most recent call last):
    ...
    zonotope.exceptions.DamagedFileError: ... does not match its recorded checksum ...
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DamagedFileError(f"{str(path)!r} could not be read: {_reason(exc)}") from None
    if len(data) != int(record.get("bytes", -1)):
        raise DamagedFileError(f"{str(path)!r} has {len(data)} bytes, not the recorded "
                               f"{record.get('bytes')}")
    if sha256_hex(data) != record.get("sha256"):
        raise DamagedFileError(f"{str(path)!r} does not match its recorded checksum (damaged file)")
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError) as exc:  # pragma: no cover - checksum matched a bad file
        raise DamagedFileError(f"{str(path)!r} is not a valid .npy file ({exc})") from None
    rows = int(arr.shape[0]) if arr.ndim else 1
    if rows != int(record.get("rows", -1)):  # pragma: no cover - checksum matched
        raise DamagedFileError(f"{str(path)!r} has {rows} rows, not the recorded {record.get('rows')}")
    return arr


def _canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()


def write_sealed_json(path, obj):
    """Write the JSON object ``obj`` atomically with a SHA-256 seal of its content.

    ``obj`` must be a dict of JSON values (no NaN/inf).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "s.json"
    >>> write_sealed_json(p, {"a": 1})
    >>> sorted(json.loads(p.read_text()))
    ['content', 'sha256']
    """
    if not isinstance(obj, dict):
        raise TypeError("write_sealed_json needs a dict")
    body = _canonical(obj)
    sealed = {"sha256": sha256_hex(body), "content": obj}
    atomic_write_bytes(path, json.dumps(sealed, sort_keys=True, allow_nan=False).encode())


def read_sealed_json(path, *, what="checkpoint file"):
    """Read a file written by :func:`write_sealed_json` and verify its seal.

    Parameters
    ----------
    path : str or Path
    what : str
        What the file is, for the error message (e.g. ``"state file of the chamber
        store"``).

    Returns
    -------
    dict
        The content.

    Raises
    ------
    DamagedFileError
        Unreadable, empty, not JSON, not a sealed object, or the content was edited.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> p = Path(tempfile.mkdtemp()) / "s.json"
    >>> write_sealed_json(p, {"best": 1.5})
    >>> p.write_text(p.read_text().replace("1.5", "0.5")) and None
    >>> read_sealed_json(p, what="ERM checkpoint")
    Traceback (most recent call last):
    ...
    zonotope.exceptions.DamagedFileError: the ERM checkpoint ... was modified or damaged ...
    """
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise DamagedFileError(f"the {what} {str(path)!r} could not be read: {_reason(exc)}") from None
    try:
        sealed = json.loads(text)
    except ValueError:
        raise DamagedFileError(f"the {what} {str(path)!r} is not valid JSON (empty or damaged); "
                               "delete it to start over") from None
    if (not isinstance(sealed, dict) or set(sealed) != {"sha256", "content"}
            or not isinstance(sealed["content"], dict)):
        raise DamagedFileError(f"the {what} {str(path)!r} is not a checkpoint written by this "
                               "toolkit; delete it to start over")
    try:
        body = _canonical(sealed["content"])
    except ValueError:
        body = b""
    if sha256_hex(body) != sealed["sha256"]:
        raise DamagedFileError(f"the {what} {str(path)!r} was modified or damaged (its checksum "
                               "does not match); delete it to start over")
    return sealed["content"]


class DirectoryLock:
    """An exclusive, non-blocking lock on ``directory/name`` (``fcntl.flock``).

    Use as a context manager.  The lock file holds the PID of the owner; it is
    released when the process exits, however it exits, so a killed job never leaves
    a stale lock.

    Raises
    ------
    CheckpointLockedError
        Another process holds the lock.

    Examples
    --------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with DirectoryLock(d):
    ...     with DirectoryLock(d):
    ...         pass
    Traceback (most recent call last):
    ...
    zonotope.exceptions.CheckpointLockedError: another process (PID ...) is working on ...
    """

    def __init__(self, directory, name=".lock"):
        self.path = Path(directory) / name
        self._fd = None

    def __enter__(self):
        import fcntl

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise CheckpointError(f"could not create the lock file {str(self.path)!r}: "
                                  f"{_reason(exc)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            finally:
                os.close(fd)
            name = self.path.name
            if name != ".lock" and name.startswith(".") and name.endswith(".lock"):
                target = self.path.parent / name[1:-len(".lock")]     # a per-file lock
            else:
                target = self.path.parent
            raise CheckpointLockedError(
                f"another process (PID {holder}) is working on {str(target)!r} (lock file "
                f"{str(self.path)!r}); wait for it to finish or stop it, then rerun") from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc):
        import fcntl

        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        return False


@contextlib.contextmanager
def sigterm_as_keyboard_interrupt():
    """Within the block, SIGTERM raises :class:`KeyboardInterrupt` (like Ctrl-C).

    Only installed in the main thread (signal handlers cannot be set elsewhere);
    the previous handler is restored on exit.

    Examples
    --------
    >>> import os, signal
    >>> with sigterm_as_keyboard_interrupt():
    ...     try:
    ...         os.kill(os.getpid(), signal.SIGTERM)
    ...     except KeyboardInterrupt:
    ...         print("saved and stopped")
    saved and stopped
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _handler(signum, frame):
        raise KeyboardInterrupt(f"terminated by signal {signum}")

    previous = signal.signal(signal.SIGTERM, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
