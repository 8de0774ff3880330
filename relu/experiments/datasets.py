"""Binary image tasks of Section 4.2: PCA-whitened Fashion-MNIST and digits.

The paper uses MNIST 5 vs 9 and Fashion-MNIST coat (label 4) vs pullover (label 2),
keeps the first ``d`` components of the PCA-whitened images and trains on ``N``
examples.  Nothing is downloaded at run time:

* **Fashion-MNIST** is read from the standard IDX files
  (``train-images-idx3-ubyte.gz`` ...) through :func:`zonotope.io.load_idx`, found in
  a directory the user gives (``data_dir``) or in the Debian package
  ``dataset-fashion-mnist`` (its data directory as listed by
  ``dpkg -L dataset-fashion-mnist``, usually ``/usr/share/datasets/fashion-mnist``).
* **MNIST** is not installable offline; scikit-learn's 8x8 digits (1797 images,
  :func:`sklearn.datasets.load_digits`), 5 vs 9, are the stand-in, and every output
  says so.  Only 182 fives and 180 nines exist, so ``N = 350`` uses almost all of
  them; the rest is the test set.

Choices the paper leaves open (its Appendix H.2 is not available), ours: ``N / 2``
examples of each class drawn at random (per seed) from the training split; PCA with
whitening (:class:`sklearn.decomposition.PCA`, ``whiten=True``) fitted on those ``N``
training examples, the first ``d`` components kept, test images mapped by the same
transform; targets ``y = +1`` for the second class, ``-1`` for the first (trained
with the squared loss; predicted class = sign of the output).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["BinaryTask", "TASKS", "binary_task", "fashion_mnist_files", "load_fashion_mnist",
           "DEBIAN_PACKAGE"]

#: The Debian package that ships Fashion-MNIST's IDX files.
DEBIAN_PACKAGE = "dataset-fashion-mnist"
_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
_STEMS = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
          "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}

#: Tasks: name -> (source, class labelled -1, class labelled +1, description).
TASKS = {
    "fashion-coat-pullover": ("fashion", 4, 2, "Fashion-MNIST coat (4) vs pullover (2)"),
    "digits-5-9": ("digits", 5, 9, "scikit-learn 8x8 digits 5 vs 9 (offline stand-in for "
                   "MNIST 5 vs 9)"),
}


def _fail(func, param, what, got):
    from zonotope.exceptions import ValidationError

    raise ValidationError(f"`{param}` of `{func}` must be {what}; got {got} instead.")


def _debian_dirs():
    """Directories of the Debian package's IDX files (``dpkg -L``), then the usual one."""
    dirs = []
    if shutil.which("dpkg"):
        try:
            listed = subprocess.run(["dpkg", "-L", DEBIAN_PACKAGE], capture_output=True,
                                    text=True, timeout=30, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        for line in listed.splitlines():
            if line.strip().endswith(_STEMS["train_images"] + ".gz"):
                dirs.append(os.path.dirname(line.strip()))
    dirs.append(_DEBIAN_DIR)
    return dirs


def _find_in(directory):
    """The four IDX files in ``directory`` (or its ``fashion-mnist`` subdirectory), or None."""
    for base in (Path(directory), Path(directory) / "fashion-mnist"):
        found = {}
        for key, stem in _STEMS.items():
            for name in (stem + ".gz", stem, stem.replace("-idx", ".idx")):
                if (base / name).is_file():
                    found[key] = base / name
                    break
        if len(found) == len(_STEMS):
            return found
    return None


def fashion_mnist_files(data_dir: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """Locate Fashion-MNIST's four IDX files.

    Parameters
    ----------
    data_dir : str or path, optional
        A directory holding ``train-images-idx3-ubyte[.gz]``,
        ``train-labels-idx1-ubyte[.gz]``, ``t10k-images-idx3-ubyte[.gz]`` and
        ``t10k-labels-idx1-ubyte[.gz]`` (directly or in a ``fashion-mnist``
        subdirectory).  Default: the files of the Debian package
        ``dataset-fashion-mnist`` (``apt-get install dataset-fashion-mnist``).

    Returns
    -------
    dict
        ``{"train_images", "train_labels", "test_images", "test_labels"} -> Path``.

    Raises
    ------
    ValidationError
        The files are not in ``data_dir`` (or, without it, the package is not
        installed); the message says how to get them.

    Examples
    --------
    >>> import tempfile
    >>> fashion_mnist_files(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    zonotope.exceptions.ValidationError: `data_dir` of `fashion_mnist_files` must be ...
    """
    func = "fashion_mnist_files"
    if data_dir is not None:
        if not isinstance(data_dir, (str, os.PathLike)):
            _fail(func, "data_dir", "a directory path", repr(data_dir))
        found = _find_in(data_dir)
        if found is None:
            _fail(func, "data_dir", "a directory with Fashion-MNIST's IDX files ("
                  + ", ".join(s + "[.gz]" for s in _STEMS.values()) + ")", repr(str(data_dir)))
        return found
    for d in _debian_dirs():
        found = _find_in(d)
        if found is not None:
            return found
    _fail(func, "data_dir", "given when the Debian package is not installed (install it with "
          f"`apt-get install {DEBIAN_PACKAGE}`, or pass the directory of the IDX files)", "None")


def load_fashion_mnist(data_dir: str | os.PathLike[str] | None = None, *,
                       split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Fashion-MNIST images (flattened, float in [0, 1]) and labels of one split.

    Parameters
    ----------
    data_dir : str or path, optional
        See :func:`fashion_mnist_files`.
    split : {"train", "test"}

    Returns
    -------
    images : ndarray of float64, shape (n_images, 784)
    labels : ndarray of int, shape (n_images,)

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> def idx(name, code, shape, data):
    ...     head = bytes([0, 0, code, len(shape)]) + b"".join(
    ...         int(s).to_bytes(4, "big") for s in shape)
    ...     with gzip.open(os.path.join(d, name + ".gz"), "wb") as f:
    ...         f.write(head + bytes(data))
    >>> for part in ("train", "t10k"):
    ...     idx(part + "-images-idx3-ubyte", 8, (2, 2, 2), range(8))
    ...     idx(part + "-labels-idx1-ubyte", 8, (2,), [4, 2])
    >>> images, labels = load_fashion_mnist(d)
    >>> images.shape, labels.tolist(), float(images.max()) == 7 / 255
    ((2, 4), [4, 2], True)
    """
    from zonotope.io import load_idx

    func = "load_fashion_mnist"
    if split not in ("train", "test"):
        _fail(func, "split", "'train' or 'test'", repr(split))
    files = fashion_mnist_files(data_dir)
    images = np.asarray(load_idx(files[f"{split}_images"]))
    labels = np.asarray(load_idx(files[f"{split}_labels"])).astype(np.int64).reshape(-1)
    if images.ndim < 2 or images.shape[0] != labels.shape[0]:
        _fail(func, "data_dir", "IDX files with as many images as labels",
              f"{images.shape[0] if images.ndim else 0} images and {labels.shape[0]} labels")
    return images.reshape(images.shape[0], -1).astype(np.float64) / 255.0, labels


@dataclass(frozen=True, eq=False)
class BinaryTask:
    """A PCA-whitened two-class training set (and the held-out test set).

    Attributes
    ----------
    name : str
    description : str
    X, y : ndarray
        Training inputs ``(N, d)`` and targets in ``{-1, +1}``.
    X_test, y_test : ndarray
        Test inputs (same PCA map) and targets.
    source : str
        Where the images came from (files or the scikit-learn data set).

    Examples
    --------
    >>> t = BinaryTask("toy", "two points", np.array([[1.0], [-1.0]]), np.array([1.0, -1.0]),
    ...                np.zeros((0, 1)), np.zeros(0), "made up")
    >>> t.accuracy([2.0, 0.5])
    0.5
    """

    name: str
    description: str
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str

    def accuracy(self, scores: ArrayLike, *, test: bool = False) -> float:
        """Fraction of examples whose score has the sign of the target.

        Examples
        --------
        >>> t = BinaryTask("t", "", np.zeros((2, 1)), np.array([1.0, -1.0]),
        ...                np.zeros((0, 1)), np.zeros(0), "")
        >>> t.accuracy([0.5, 0.2])
        0.5
        """
        y = self.y_test if test else self.y
        if len(y) == 0:
            return float("nan")
        return float(np.mean(np.where(np.asarray(scores) > 0, 1.0, -1.0) == y))


def _images(name, data_dir):
    """``(train images, train labels, test images, test labels, source)`` of a task."""
    src, _, _, _ = TASKS[name]
    if src == "fashion":
        files = fashion_mnist_files(data_dir)
        Xtr, ytr = load_fashion_mnist(data_dir, split="train")
        Xte, yte = load_fashion_mnist(data_dir, split="test")
        return Xtr, ytr, Xte, yte, str(files["train_images"].parent)
    from sklearn.datasets import load_digits

    digits = load_digits()
    X = digits.data.astype(np.float64) / 16.0
    return X, digits.target.astype(np.int64), None, None, "sklearn.datasets.load_digits (8x8)"


def binary_task(name: str, n_features: int, n_samples: int, *, data_dir: str | os.PathLike[str] | None = None,
                rng: int | np.random.Generator | None = None) -> BinaryTask:
    """A two-class task: ``n_samples`` balanced examples, first ``n_features`` whitened PCs.

    Parameters
    ----------
    name : {"fashion-coat-pullover", "digits-5-9"}
        See :data:`TASKS`.
    n_features : int
        Principal components kept (``d``).
    n_samples : int
        Training examples ``N`` (even; ``N / 2`` per class).
    data_dir : str or path, optional
        Fashion-MNIST's IDX files (:func:`fashion_mnist_files`).
    rng : int, numpy.random.Generator or None
        Which examples are drawn.

    Returns
    -------
    BinaryTask

    Examples
    --------
    >>> t = binary_task("digits-5-9", 4, 20, rng=0)
    >>> t.X.shape, sorted(set(t.y.tolist())), int((t.y > 0).sum())
    ((20, 4), [-1.0, 1.0], 10)
    >>> np.allclose(np.cov(t.X.T, ddof=1), np.eye(4))    # whitened
    True
    """
    from sklearn.decomposition import PCA

    from .._checks import check_nonneg, check_rng

    func = "binary_task"
    if name not in TASKS:
        _fail(func, "name", "one of " + ", ".join(repr(k) for k in TASKS), repr(name))
    d = check_nonneg(n_features, func, "n_features", allow_zero=False, integer=True)
    n = check_nonneg(n_samples, func, "n_samples", allow_zero=False, integer=True)
    if n % 2:
        _fail(func, "n_samples", "even (half the examples from each class)", repr(n))
    gen = check_rng(rng, func)
    _, neg, pos, desc = TASKS[name]
    Xtr, ytr, Xte, yte, source = _images(name, data_dir)
    chosen, rest = [], []
    for c in (neg, pos):
        idx = np.flatnonzero(ytr == c)
        if idx.size < n // 2:
            _fail(func, "n_samples", f"at most {2 * idx.size} for {name} (class {c} has "
                  f"{idx.size} training examples)", repr(n))
        perm = gen.permutation(idx)
        chosen.append(perm[: n // 2])
        rest.append(perm[n // 2:])
    train = np.concatenate(chosen)
    if d > min(n, Xtr.shape[1]):
        _fail(func, "n_features", f"at most min(n_samples, {Xtr.shape[1]})", repr(d))
    if Xte is None:                     # no test split: the unused examples of the classes
        test = np.concatenate(rest)
        Xte, yte = Xtr[test], ytr[test]
    else:
        keep = (yte == neg) | (yte == pos)
        Xte, yte = Xte[keep], yte[keep]
    pca = PCA(n_components=d, whiten=True, random_state=0).fit(Xtr[train])
    X = pca.transform(Xtr[train])
    y = np.where(ytr[train] == pos, 1.0, -1.0)
    Xt = pca.transform(Xte) if len(Xte) else np.zeros((0, d))
    yt = np.where(yte == pos, 1.0, -1.0)
    for a in (X, y, Xt, yt):
        a.flags.writeable = False
    return BinaryTask(name, desc, X, y, Xt, yt, source)
