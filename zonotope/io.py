"""Loading data sets: delimited text (CSV, whitespace), NumPy ``.npz`` and IDX files.

One module reads every data file of the package: the command line, the plotting
commands and the experiments call :func:`load_data`.  The *data matrix* of a file has
one row per example: the features, then (optionally) the label in the last column;
``labels="last"`` splits it.

Text files are read with the :mod:`csv` module and one explicit delimiter (given, or
sniffed among ``,`` ``;`` tab and whitespace), so a comma is never mistaken for a
separator it is not: ``1,5 2,5`` (comma decimals) and ``1,,2`` (an empty cell) are
errors naming the line and the column, never silently 4 or 2 columns.  A UTF-8 byte
order mark is accepted, lines that are blank or start with ``#`` are skipped, and a
first row is a header only when *every* cell is a name (not a number).  Integers and
fractions ``p/q`` are read exactly (``object`` array of ``int``/``Fraction``) when the
whole file is written that way; any decimal point or exponent makes the matrix
``float64``.

IDX is the format of MNIST and Fashion-MNIST (``train-images-idx3-ubyte.gz``): a magic
number ``0x0000`` + type code + number of dimensions, the big-endian ``uint32``
dimensions, then the big-endian data; ``.gz`` compression is detected from the
content.
"""

from __future__ import annotations

import io as _stdio
import os
import re
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from .exceptions import ValidationError

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import NDArray

__all__ = ["load_data", "load_idx", "IDX_TYPES"]

#: IDX type codes and their big-endian numpy dtypes.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}

_WHITESPACE = None  # the delimiter value meaning "runs of spaces and tabs"
_SNIFF = "sniff"
_DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", " ": _WHITESPACE, "whitespace": _WHITESPACE}
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FRACTION = re.compile(r"[+-]?\d+(?:/\d+)?")
_NUMBERLIKE = re.compile(r"[+-]?\.?\d")
_NONFINITE = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


def _fail(func, param, what, got):
    raise ValidationError(f"`{param}` of `{func}` must be {what}; got {got} instead.")


def _check_path(path, func, param="path"):
    """The file name as a ``str`` (for messages), or a ValidationError."""
    if not isinstance(path, (str, os.PathLike)):
        _fail(func, param, "a file name (str or os.PathLike)", f"{type(path).__name__} {path!r}")
    return os.fspath(path)


def _read_bytes(path, func):
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        _fail(func, "path", "a readable text, NPZ or IDX file", f"{path!r} ({exc})")


def _is_idx(head):
    return len(head) >= 4 and head[0] == 0 and head[1] == 0 and head[2] in IDX_TYPES and 1 <= head[3] <= 16


def _gunzip(raw, path, func):
    import gzip

    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        _fail(func, "path", "a readable gzip file", f"{path!r} ({exc})")


# --------------------------------------------------------------------------- IDX
def _parse_idx(raw, path, func):
    if not _is_idx(raw[:4]):
        _fail(func, "path", "an IDX file (magic number 0x0000, a type code in "
              f"{sorted(hex(c) for c in IDX_TYPES)}, 1 to 16 dimensions)",
              f"{path!r} starting with bytes {raw[:4]!r}")
    code, ndim = raw[2], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        _fail(func, "path", f"an IDX file with {ndim} dimension sizes in its header",
              f"{path!r} of {len(raw)} bytes")
    dims = tuple(int(v) for v in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    dtype = np.dtype(IDX_TYPES[code])
    expected = header + int(np.prod(dims, dtype=object)) * dtype.itemsize
    if len(raw) != expected:
        _fail(func, "path", f"an IDX file of {expected} bytes (header {header} + data of shape "
              f"{dims} and type {dtype.str})", f"{path!r} of {len(raw)} bytes")
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims)
    return data.astype(dtype.newbyteorder("="))


def load_idx(path: str | os.PathLike[str]) -> NDArray[Any]:
    """Read an IDX file (the MNIST / Fashion-MNIST format), plain or gzip-compressed.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    ndarray
        The array with the file's shape (e.g. ``(60000, 28, 28)`` for MNIST training
        images, ``(60000,)`` for its labels) and dtype (``uint8``, ``int8``, ``int16``,
        ``int32``, ``float32`` or ``float64``, native byte order).

    Raises
    ------
    ValidationError
        If the file is missing or unreadable, has a bad magic number, or its size does
        not match the dimensions in its header (truncated or trailing data).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "labels-idx1-ubyte")
    >>> with open(path, "wb") as fh:   # magic 0x00000801: unsigned bytes, 1 dimension
    ...     _ = fh.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> load_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    func = "load_idx"
    path = _check_path(path, func)
    raw = _read_bytes(path, func)
    if raw[:2] == _GZIP_MAGIC:
        raw = _gunzip(raw, path, func)
    return _parse_idx(raw, path, func)


# --------------------------------------------------------------------------- text
def _classify(cell):
    """``"exact"`` (int or p/q), ``"float"`` (decimal), ``"nonfinite"``, ``"name"`` or ``"bad"``."""
    if _FRACTION.fullmatch(cell):
        if "/" in cell and int(cell.split("/")[1]) == 0:
            return "bad"
        return "exact"
    if _DECIMAL.fullmatch(cell):
        return "float"
    if _NONFINITE.fullmatch(cell):
        return "nonfinite"
    if not cell or _NUMBERLIKE.match(cell):
        return "bad"
    return "name"


def _sniff(lines):
    """The delimiter of the data lines: ``,`` ``;`` or tab, else whitespace."""
    for d in (",", ";", "\t"):
        counts = {line.count(d) for _, line in lines}
        if min(counts) > 0 and len(counts) == 1:
            return d
    for d in (",", ";", "\t"):
        counts = [line.count(d) for _, line in lines]
        if any(counts):
            # present but not on every line with the same count: choose it anyway, so that
            # the width check reports the line that differs
            return d
    return _WHITESPACE


def _split(line, delimiter):
    import csv

    if delimiter is _WHITESPACE:
        return line.split()
    cells = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
    return [c.strip() for c in cells]


def _describe_delimiter(d):
    return "whitespace" if d is _WHITESPACE else {"\t": "tab"}.get(d, repr(d))


def _parse_text(text, path, delimiter, func):
    lines = [(k, line.strip()) for k, line in enumerate(text.splitlines(), 1)]
    lines = [(k, line) for k, line in lines if line and not line.startswith("#")]
    if not lines:
        _fail(func, "path", "a data file with at least one data row", f"{path!r} with none")
    if delimiter == _SNIFF:
        delimiter = _sniff(lines)
    where = f"{path!r} (delimiter {_describe_delimiter(delimiter)})"
    rows = [(k, _split(line, delimiter)) for k, line in lines]
    k0, first = rows[0]
    kinds = [_classify(c) for c in first]
    if all(t == "name" for t in kinds):   # a header of column names
        rows = rows[1:]
    elif any(t == "name" for t in kinds) and any(t in ("exact", "float", "nonfinite") for t in kinds):
        _fail(func, "path", "a file whose first row is all numbers (data) or all names (a header)",
              f"{where}, line {k0}: {first!r}")
    if not rows:
        _fail(func, "path", "a data file with at least one data row", f"{where} with only a header")
    width = len(first)
    exact = True
    for k, cells in rows:
        if len(cells) != width:
            _fail(func, "path", f"a file with the same number of columns ({width}) on every row",
                  f"{where}, line {k} with {len(cells)} cells: {cells!r}")
        for j, c in enumerate(cells, 1):
            t = _classify(c)
            if t == "float":
                exact = False
            elif t == "nonfinite":
                _fail(func, "path", "a file of finite numbers", f"{c!r} at {where}, line {k}, column {j}")
            elif t != "exact":
                what = "an empty cell" if not c else repr(c)
                hint = (" (a decimal comma? the decimal separator is '.')"
                        if re.fullmatch(r"[+-]?\d+,\d+", c) else "")
                _fail(func, "path", "a file of only numbers (integers, p/q fractions or decimals)",
                      f"{what} at {where}, line {k}, column {j}{hint}")
    if exact:
        M = np.empty((len(rows), width), dtype=object)
        for i, (_, cells) in enumerate(rows):
            for j, c in enumerate(cells):
                f = Fraction(c)
                M[i, j] = f.numerator if f.denominator == 1 else f
    else:
        M = np.array([[float(Fraction(c)) if "/" in c else float(c) for c in cells] for _, cells in rows],
                     dtype=np.float64).reshape(len(rows), width)
        if not np.all(np.isfinite(M)):
            i, j = np.argwhere(~np.isfinite(M))[0]
            _fail(func, "path", "a file of finite numbers",
                  f"{rows[i][1][j]!r} at {where}, line {rows[i][0]}, column {j + 1}")
    return M


# --------------------------------------------------------------------------- npz
def _parse_npz(raw, path, func):
    import zipfile

    try:
        with np.load(_stdio.BytesIO(raw), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        _fail(func, "path", "a readable NPZ file", f"{path!r} ({exc})")
    if "X" in arrays:
        X = arrays["X"]
        cols = [X.reshape(X.shape[0], -1) if X.ndim != 1 else X.reshape(-1, 1)]
        if "y" in arrays:
            y = arrays["y"].reshape(-1)
            if y.shape[0] != cols[0].shape[0]:
                _fail(func, "path", "an NPZ file whose arrays 'X' and 'y' have the same number of rows",
                      f"{path!r} with {cols[0].shape[0]} and {y.shape[0]}")
            cols.append(y.reshape(-1, 1))
        parts = cols
    elif len(arrays) == 1:
        (A,) = arrays.values()
        parts = [A.reshape(-1, 1) if A.ndim == 1 else A.reshape(A.shape[0], -1)]
    else:
        _fail(func, "path", "an NPZ file with one array, or arrays 'X' (and 'y')",
              f"{path!r} with arrays {sorted(arrays)}")
    for p in parts:
        if p.dtype.kind not in "biuf":
            _fail(func, "path", "an NPZ file of real numbers", f"{path!r} with dtype {p.dtype}")
    M = np.hstack([_real_matrix(p) for p in parts]) if len(parts) > 1 else _real_matrix(parts[0])
    if M.dtype != object and not np.all(np.isfinite(M)):
        _fail(func, "path", "an NPZ file of finite numbers", f"{path!r} with NaN or infinite entries")
    return M


def _real_matrix(A):
    """float64, or exact ints (object) when an integer array does not fit a float exactly."""
    if A.dtype.kind in "biu" and A.size and int(np.max(np.abs(A.astype(object)))) >= 2**53:
        return A.astype(object)
    return A.astype(np.float64)


# --------------------------------------------------------------------------- the door
def _check_delimiter(delimiter, func):
    if delimiter is None:
        return _SNIFF
    if not isinstance(delimiter, str) or delimiter not in _DELIMITERS:
        _fail(func, "delimiter", "None (sniff), ',', ';', '\\t' (or 'tab') or 'whitespace' (or ' ')",
              repr(delimiter))
    return _DELIMITERS[delimiter]


def _matrix(path, delimiter, func, param="path"):
    delimiter = _check_delimiter(delimiter, func)
    path = _check_path(path, func, param)
    raw = _read_bytes(path, func)
    if raw[:2] == _GZIP_MAGIC:
        raw = _gunzip(raw, path, func)
    if _is_idx(raw[:4]):
        A = _parse_idx(raw, path, func)
        return (A.reshape(-1, 1) if A.ndim == 1 else A.reshape(A.shape[0], -1)).astype(np.float64)
    if raw[:4] == _ZIP_MAGIC:
        return _parse_npz(raw, path, func)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(func, "path", "a UTF-8 text, NPZ or IDX file", f"{path!r} ({exc})")
    if "\x00" in text:
        _fail(func, "path", "a text, NPZ or IDX file", f"{path!r} containing NUL bytes")
    return _parse_text(text, path, delimiter, func)


def load_data(path: str | os.PathLike[str], *, delimiter: str | None = None,
              labels: str | os.PathLike[str] | None = None) -> NDArray[Any] | tuple[NDArray[Any], ...]:
    r"""Load a data set: delimited text (CSV, whitespace), NumPy ``.npz`` or IDX.

    Parameters
    ----------
    path : str or os.PathLike
        The kind of file is told from its content: gzip-compressed or plain IDX
        (MNIST format), an ``.npz`` archive (one array, or arrays ``X`` and optionally
        ``y``), otherwise UTF-8 text (a byte order mark is accepted) with one example
        per row.
    delimiter : {None, ",", ";", "\t", "whitespace"}
        Cell separator of a text file (``"tab"`` and ``" "`` are accepted aliases).
        ``None`` (default) sniffs it: ``,`` then ``;`` then tab if it occurs on every
        data line with the same count, else whitespace.
    labels : None, "last", or path
        ``None`` (default): return the data matrix.  ``"last"``: return ``(X, y)``, the
        last column being the label.  A path: return ``(X, y)`` with the labels read
        from that file (one value per row, e.g. an IDX label file of MNIST).

    Returns
    -------
    M : ndarray, shape (n_samples, n_columns)
        When ``labels`` is None.  ``object`` (exact ``int``/``Fraction``) for a text
        file written only with integers and fractions ``p/q``; ``float64`` otherwise
        (IDX and NPZ data are ``float64``, which holds their values exactly, except
        integer NPZ arrays beyond ``2**53``, kept exact as ``object``).
    (X, y) : tuple of ndarray
        When ``labels`` is given; ``y`` has shape ``(n_samples,)``.

    Raises
    ------
    ValidationError
        For a missing or unreadable file, an empty cell, a cell that is not a number
        (e.g. a decimal comma), rows of different lengths, a first row mixing names and
        numbers, non-finite values, a malformed IDX or NPZ file, or labels whose number
        does not match the data.  The message names the file, the delimiter, the line
        and the column.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = os.path.join(d, "data.csv")
    >>> _ = open(p, "w").write("x1,x2,y\n0,1/2,1\n2,3,0\n")
    >>> load_data(p).tolist()
    [[0, Fraction(1, 2), 1], [2, 3, 0]]
    >>> X, y = load_data(p, labels="last")
    >>> X.shape, y.tolist()
    ((2, 2), [1, 0])
    >>> _ = open(p, "w").write("1.5 2\n3 4e0\n")
    >>> load_data(p)
    array([[1.5, 2. ],
           [3. , 4. ]])
    >>> _ = open(p, "w").write("1,5 2,5\n")          # decimal commas: an error, not 3 columns
    >>> load_data(p)  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `path` of `load_data` must be a file of only numbers (integers,
    p/q fractions or decimals); got '5 2' at '...data.csv' (delimiter ','), line 1, column 2 instead.
    """
    func = "load_data"
    if labels is not None and not (isinstance(labels, (str, os.PathLike))):
        _fail(func, "labels", "None, 'last' or the path of a label file", repr(labels))
    M = _matrix(path, delimiter, func)
    if labels is None:
        return M
    if isinstance(labels, str) and labels == "last":
        if M.shape[1] < 2:
            _fail(func, "path", "a file with at least 2 columns (features, then the label) when "
                  "labels='last'", f"{os.fspath(path)!r} with {M.shape[1]}")
        return M[:, :-1], M[:, -1].copy()
    Y = _matrix(labels, delimiter, func, "labels")
    if Y.shape[1] != 1 or Y.shape[0] != M.shape[0]:
        _fail(func, "labels", f"a file with one label per row of the data ({M.shape[0]} rows, 1 column)",
              f"{labels!r} of shape {Y.shape}")
    return M, Y[:, 0].copy()
