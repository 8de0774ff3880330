"""Planted (teacher-student) data of Section 4.2 of Matena & Raffel (2022).

``N = (d + 1) m_gen`` inputs drawn i.i.d. from the standard Gaussian on ``R^d``,
labelled by a random *teacher*: a shallow ReLU network with ``m_gen`` hidden units.
The paper samples the teacher's weights i.i.d. from the standard Gaussian; the rest
(its Appendix H.1.1) is not available, so the choices below are ours and recorded
with every result: first-layer weights *and* biases i.i.d. ``N(0, 1)``, the second
layer ``(+1, -1, +1, ..., 0)`` of the students (:func:`relu.alternating_second_layer`,
so a student with ``m_gen`` units can represent the teacher exactly: ``v relu(w . x)
= sign(v) relu(|v| w . x)``), and noiseless labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TeacherData", "teacher_data"]


@dataclass(frozen=True, eq=False)
class TeacherData:
    """A planted regression data set and the network that labelled it.

    Attributes
    ----------
    X : ndarray, shape (n_samples, n_features)
    y : ndarray, shape (n_samples,)
        ``y = predict(X, W, second_layer)`` (noiseless).
    W : ndarray, shape (m_gen, n_features + 1)
        The teacher's first layer (last column: biases).
    second_layer : ndarray, shape (m_gen + 1,)

    Examples
    --------
    >>> t = teacher_data(2, 3, rng=0)
    >>> t.X.shape, t.W.shape, t.second_layer.shape
    ((9, 2), (3, 3), (4,))
    >>> t.X.flags.writeable
    False
    """

    X: np.ndarray
    y: np.ndarray
    W: np.ndarray
    second_layer: np.ndarray

    def __post_init__(self):
        for name in ("X", "y", "W", "second_layer"):
            a = np.array(getattr(self, name), dtype=np.float64, copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    @property
    def m_gen(self) -> int:
        """Hidden units of the teacher."""
        return int(self.W.shape[0])


def teacher_data(n_features: int, m_gen: int, *, n_samples: int | None = None,
                 rng: int | np.random.Generator | None = None) -> TeacherData:
    """Gaussian inputs labelled by a random teacher network with ``m_gen`` units.

    Parameters
    ----------
    n_features : int
        Input dimension ``d`` (>= 1).
    m_gen : int
        Hidden units of the teacher (>= 1).
    n_samples : int, optional
        Number of examples; default ``(n_features + 1) * m_gen`` (the paper's ``N``:
        as many examples as a network of ``m_gen`` units has first-layer weights).
    rng : int, numpy.random.Generator or None

    Returns
    -------
    TeacherData

    Raises
    ------
    ValidationError
        A size that is not a positive integer.

    Examples
    --------
    >>> data = teacher_data(4, 2, rng=0)
    >>> data.X.shape, data.y.shape, data.W.shape, data.second_layer.tolist()
    ((10, 4), (10,), (2, 5), [1.0, -1.0, 0.0])
    >>> import relu
    >>> bool(np.allclose(relu.predict(data.X, data.W, data.second_layer), data.y))
    True
    >>> teacher_data(1, 1, rng=0).X.shape          # one feature, one unit: N = 2
    (2, 1)
    """
    from .._checks import check_nonneg, check_rng
    from ..network import alternating_second_layer, predict

    func = "teacher_data"
    d = check_nonneg(n_features, func, "n_features", allow_zero=False, integer=True)
    m = check_nonneg(m_gen, func, "m_gen", allow_zero=False, integer=True)
    n = (d + 1) * m if n_samples is None else \
        check_nonneg(n_samples, func, "n_samples", allow_zero=False, integer=True)
    gen = check_rng(rng, func)
    X = gen.standard_normal((n, d))
    W = gen.standard_normal((m, d + 1))
    v = alternating_second_layer(m)
    return TeacherData(X, predict(X, W, v), W, v)
