"""Loader for the UCI collection of Fernández-Delgado et al. (2014), used by Mishkin & Pilanci.

The collection (``data.tar.gz`` of "Do we need hundreds of classifiers ...", JMLR 15)
unpacks to one directory per data set, ``<root>/<name>/``, holding ``<name>_R.dat``:
a tab-separated table written by R -- a header line of column names (the last one
``clase``, the class), then one line per example starting with its row name, the
(already standardised) features and the class label.  Data sets split into
``_train_R.dat``/``_test_R.dat`` files are read and concatenated.

The data are not redistributed here (their licences vary); download the archive and
pass the directory to :func:`load_uci` or to ``zonotope reproduce pruning --data-dir``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import os
    from typing import Any

__all__ = ["load_uci", "read_r_table", "UCI_PRUNING", "UCI_TUNING"]

#: The ten binary data sets of the paper's pruning figures (Figs. 2, 4, 5).
UCI_PRUNING = ("breast-cancer", "fertility", "hill-valley", "monks-1", "spectf", "blood",
               "heart-hungarian", "hepatitis", "mammographic", "planning")
#: The data sets of the paper's tuning tables (Tables 1, 2).
UCI_TUNING = ("blood", "breast-cancer", "fertility", "heart-hungarian", "hepatitis", "hill-valley",
              "mammographic", "monks-1", "planning", "spectf", "horse-colic", "ilpd-indian-liver",
              "parkinsons", "pima", "tic-tac-toe", "statlog-heart", "ionosphere")


def read_r_table(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    r"""Read one ``*_R.dat`` file: ``(X, labels)``.

    The header may or may not have a field for the row names (R's ``write.table``
    leaves it out); a data line with one field more than the header starts with its
    row name, which is dropped.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    X : ndarray of float64, shape (n_samples, n_features)
    labels : ndarray of str, shape (n_samples,)

    Raises
    ------
    ValidationError
        Unreadable file, ragged lines, or non-numeric features.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "toy_R.dat")
    >>> _ = open(p, "w").write("f1\tf2\tclase\n1\t0.5\t-1.0\t0\n2\t1.5\t2.0\t1\n")
    >>> X, labels = read_r_table(p)
    >>> X.tolist(), labels.tolist()
    ([[0.5, -1.0], [1.5, 2.0]], ['0', '1'])
    """
    from .._checks import fail

    func = "read_r_table"
    path = Path(path)
    try:
        lines = [ln.rstrip("\r\n") for ln in path.read_text().splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        fail("path", func, "a readable text file", f"{str(path)!r} ({exc})")
    if len(lines) < 2:
        fail("path", func, "a header line and at least one data line",
             f"{len(lines)} line(s) in {str(path)!r}")
    header = lines[0].split("\t")
    names = [h.strip() for h in header]
    width = len(names) - (1 if names and names[0] == "" else 0)      # columns without row names
    rows = []
    for k, ln in enumerate(lines[1:], start=2):
        parts = ln.split("\t")
        if len(parts) == width + 1:
            parts = parts[1:]
        if len(parts) != width:
            fail("path", func, f"lines of {width} (or {width + 1} with a row name) tab-separated "
                 "fields", f"{len(parts)} fields on line {k} of {str(path)!r}")
        rows.append(parts)
    try:
        X = np.array([[float(v) for v in r[:-1]] for r in rows], dtype=np.float64)
    except ValueError:
        fail("path", func, "numeric features", f"a non-numeric entry in {str(path)!r}")
    labels = np.array([r[-1].strip() for r in rows])
    return X, labels


def load_uci(name: str, data_dir: str | os.PathLike[str], *,
             classes: tuple[Any, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
    r"""One binary data set of the Fernández-Delgado collection, labels in ``{-1, +1}``.

    Parameters
    ----------
    name : str
        Directory name in the collection (e.g. ``"fertility"``, ``"monks-1"``).
    data_dir : str or Path
        Root of the unpacked archive (holding ``<name>/<name>_R.dat``).
    classes : pair, optional
        The two class labels to keep (``-1`` for the first); default: the data set must
        have exactly two classes (sorted: the first becomes ``-1``).

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray of {-1.0, +1.0}, shape (n_samples,)

    Raises
    ------
    ValidationError
        Missing files, or not two classes.

    Examples
    --------
    >>> import tempfile, os
    >>> root = tempfile.mkdtemp(); os.mkdir(os.path.join(root, "toy"))
    >>> _ = open(os.path.join(root, "toy", "toy_R.dat"), "w").write(
    ...     "f1\tclase\n1\t0.5\t0\n2\t1.5\t1\n3\t2.5\t1\n")
    >>> X, y = load_uci("toy", root)
    >>> X.ravel().tolist(), y.tolist()
    ([0.5, 1.5, 2.5], [-1.0, 1.0, 1.0])
    """
    from .._checks import fail

    func = "load_uci"
    if not isinstance(name, str) or not name or "/" in name or name.startswith("."):
        fail("name", func, "the name of a data set directory", repr(name))
    root = Path(data_dir)
    d = root / name
    if not d.is_dir():
        fail("data_dir", func, f"a directory holding {name}/{name}_R.dat (the unpacked "
             "Fernández-Delgado archive data.tar.gz)", f"{str(root)!r} without {name}/")
    files = [d / f"{name}_R.dat"]
    if not files[0].exists():
        files = [d / f"{name}_train_R.dat", d / f"{name}_test_R.dat"]
        if not all(f.exists() for f in files):
            fail("data_dir", func, f"a directory holding {name}/{name}_R.dat",
                 f"{str(d)!r} without it")
    parts = [read_r_table(f) for f in files]
    X = np.vstack([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    found = sorted(set(labels.tolist()), key=lambda s: (float(s) if _isnum(s) else np.inf, s))
    if classes is None:
        if len(found) != 2:
            fail("name", func, "a binary data set (or pass classes=(a, b))",
                 f"{len(found)} classes in {name!r}")
        classes = found
    classes = [str(c) for c in classes]
    keep = np.isin(labels, classes)
    if len(classes) != 2 or keep.sum() == 0:
        fail("classes", func, f"two of the labels {found}", repr(classes))
    return X[keep], np.where(labels[keep] == classes[0], -1.0, 1.0)


def _isnum(s):
    try:
        float(s)
        return True
    except ValueError:
        return False
