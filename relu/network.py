r"""The shallow ReLU network with homogenised input and a fixed second layer.

.. math::

    f(x) = \sum_{j=1}^m v_j \max(0, w_j \cdot \bar x) + v_{m+1},
    \qquad \bar x = (x, 1),

with first layer ``W`` of shape ``(m, d + 1)`` (the last column is the bias) and
second layer ``v`` of length ``m + 1`` (``m`` weights, then the output bias).  The
activation pattern of ``W`` on data ``X`` is the ``(m, N)`` 0/1 matrix
``1{W x_bar_i > 0}`` (a tie counts as inactive; see
:func:`zonotope.activation_patterns`, which decides it exactly).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_data, check_labels_vector, check_nonneg, check_rng, check_second_layer, check_units
from .losses import get_loss

__all__ = ["predict", "mean_loss", "glorot_uniform", "alternating_second_layer", "check_weights"]


def check_weights(W, n_features, func, param="W"):
    """Validate first-layer weights ``(m, n_features + 1)``; returns a float array.

    Examples
    --------
    >>> check_weights([[1.0, -1.0]], 1, "demo").shape
    (1, 2)
    """
    from ._checks import fail

    try:
        a = np.array(W, dtype=np.float64)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric array of shape (m, {n_features + 1})", type(W).__name__)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2 or a.shape[1] != n_features + 1 or a.shape[0] == 0:
        fail(param, func, f"an array of shape (m, {n_features + 1}) (last column = bias)",
             f"an array of shape {np.shape(W)}")
    if not np.all(np.isfinite(a)):
        fail(param, func, "finite (no NaN or inf)", "non-finite entries")
    return a


def _forward(Xf, W, v):
    Z = Xf @ W[:, :-1].T + W[:, -1]
    return np.maximum(Z, 0.0) @ v[:-1] + v[-1]


def predict(X, W, v):
    """Network output ``f(x_i)`` for every row of ``X``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    W : array_like, shape (m, n_features + 1)
        First layer acting on ``(x, 1)``.
    v : array_like, shape (m + 1,) or (m,)
        Second layer: ``m`` weights then the output bias (``m`` entries: bias 0).

    Returns
    -------
    ndarray of float64, shape (n_samples,)

    Examples
    --------
    >>> predict([[0.0], [1.0], [2.0], [3.0]], [[1.0, -1.0]], [1.0, 0.0]).tolist()
    [0.0, 0.0, 1.0, 2.0]
    >>> predict([[5.0]], [[0.0, 0.0]], [2.0, -1.0]).tolist()  # a dead unit: output = bias
    [-1.0]
    """
    _, Xf = check_data(X, "predict")
    W = check_weights(W, Xf.shape[1], "predict")
    v = check_second_layer(v, W.shape[0], "predict")
    return _forward(Xf, W, v)


def mean_loss(X, y, W, v, loss="mse"):
    """Mean loss ``(1/N) sum_i l(f(x_i), y_i)`` of a network (the empirical risk, eq. 1).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    W : array_like, shape (m, n_features + 1)
    v : array_like, shape (m + 1,) or (m,)
    loss : {"mse", "logistic"}
        See :mod:`relu.losses` for the conventions (MSE without 1/2; logistic with
        labels in {0, 1}).

    Returns
    -------
    float

    Examples
    --------
    >>> mean_loss([[0.0], [1.0]], [0.0, 2.0], [[1.0, 0.0]], [1.0, 0.0])
    0.5
    """
    _, Xf = check_data(X, "mean_loss")
    yv = check_labels_vector(y, Xf.shape[0], "mean_loss")
    lo = get_loss(loss, "mean_loss")
    lo.check_labels(yv, "mean_loss")
    W = check_weights(W, Xf.shape[1], "mean_loss")
    v = check_second_layer(v, W.shape[0], "mean_loss")
    return lo.mean(_forward(Xf, W, v), yv)


def glorot_uniform(m, n_features, rng=None):
    """Glorot (Xavier) uniform initialisation of the first layer, bias column included.

    Entries are i.i.d. ``U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))``,
    ``fan_in = n_features + 1`` (the homogenised input, so the bias column is drawn
    like the other columns rather than set to zero) and ``fan_out = m``
    (Glorot & Bengio 2010).  Drawing the bias too makes the activation pattern of the
    initial weights a uniformly "generic" chamber rather than one of the chambers cut
    by hyperplanes through the origin of input space.

    Parameters
    ----------
    m : int
        Number of hidden units.
    n_features : int
    rng : int, numpy.random.Generator or None

    Returns
    -------
    ndarray of float64, shape (m, n_features + 1)

    References
    ----------
    X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward
    neural networks", AISTATS 2010.

    Examples
    --------
    >>> W = glorot_uniform(3, 2, rng=0)
    >>> W.shape, bool(np.all(np.abs(W) <= np.sqrt(6 / 6)))
    ((3, 3), True)
    """
    m = check_units(m, "glorot_uniform")
    d = check_units(n_features, "glorot_uniform", "n_features")
    gen = check_rng(rng)
    a = np.sqrt(6.0 / (d + 1 + m))
    return gen.uniform(-a, a, size=(m, d + 1))


def alternating_second_layer(m, bias=0.0):
    """Return the default fixed second layer ``v = (+1, -1, +1, ..., bias)``.

    Alternating signs let the network output both positive and negative bumps; units
    with equal weights form two interchangeable groups, which :func:`relu.exact_erm`
    exploits.  The paper fixes ``v`` without saying how (App. H is unavailable); this
    default is the toolkit's choice.

    Parameters
    ----------
    m : int
    bias : float

    Returns
    -------
    ndarray of float64, shape (m + 1,)

    Examples
    --------
    >>> alternating_second_layer(3).tolist()
    [1.0, -1.0, 1.0, 0.0]
    >>> alternating_second_layer(1, bias=0.5).tolist()
    [1.0, 0.5]
    """
    m = check_units(m, "alternating_second_layer")
    v = np.where(np.arange(m) % 2 == 0, 1.0, -1.0)
    return np.r_[v, float(bias)]


def check_training_problem(X, y, m, v, loss, ridge, func):
    """Validate the common arguments of the optimisers, naming ``func`` in errors.

    Returns ``(Xv, Xf, y, m, loss, v, ridge)``: the data as given (exact entries kept)
    and as floats, the labels (checked against the loss), the number of units, the
    :class:`~relu.losses.Loss`, the second layer of length ``m + 1`` (default
    ``(+1, -1, ..., 0)``) and the ridge weight.
    """
    Xv, Xf = check_data(X, func)
    yv = check_labels_vector(y, Xf.shape[0], func)
    m = check_units(m, func)
    lo = get_loss(loss, func)
    lo.check_labels(yv, func)
    vv = alternating_second_layer(m) if v is None else check_second_layer(v, m, func)
    ridge = check_nonneg(ridge, func, "ridge")
    return Xv, Xf, yv, m, lo, vv, ridge
