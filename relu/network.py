r"""The shallow ReLU network with a fixed second layer, with or without hidden-unit biases.

.. math::

    f(x) = \sum_{j=1}^{n_\text{units}} v_j \max(0, w_j \cdot \bar x) + v_{n_\text{units}+1},
    \qquad \bar x = (x, 1) \text{ (bias=True)}, \quad \bar x = x \text{ (bias=False)},

with first layer ``W`` of shape ``(n_units, n_features + 1)`` (the last column is the
hidden units' bias) or ``(n_units, n_features)`` for bias-free units, and second
layer ``second_layer = v`` of length ``n_units + 1`` (``n_units`` weights, then the
output bias).  The activation patterns of ``W`` on data ``X`` are the
``(n_units, n_samples)`` 0/1 array ``patterns = 1{W x_bar_i > 0}`` (a tie counts as
inactive; see :func:`zonotope.activation_patterns`, which decides it exactly).
Functions that take ``W`` infer ``bias`` from its shape (``n_features + 1`` columns:
with bias; ``n_features``: without); an explicit ``bias=`` is checked against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._checks import check_data, check_labels_vector, check_rng, check_units, fail
from .losses import get_loss

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

    from .losses import Loss

__all__ = ["predict", "mean_loss", "glorot_uniform", "alternating_second_layer", "check_weights"]


def check_weights(W: ArrayLike, n_features: int, func: str, param: str = "W",
                  bias: bool | None = None) -> tuple[NDArray[np.float64], bool]:
    """Validate first-layer weights; return ``(W, bias)`` with ``W`` a float array.

    ``W`` has ``n_features + 1`` columns (with bias) or ``n_features`` (bias-free);
    ``bias=None`` infers which from the shape, ``True``/``False`` requires it.

    Examples
    --------
    >>> W, bias = check_weights([[1.0, -1.0]], 1, "demo")
    >>> W.shape, bias
    ((1, 2), True)
    >>> check_weights([[1.0]], 1, "demo")[1]  # one column for one feature: bias-free
    False
    """
    try:
        a = np.array(W, dtype=np.float64)
    except (TypeError, ValueError):
        fail(param, func, f"a numeric array of shape (n_units, {n_features + 1}) or "
             f"(n_units, {n_features})", type(W).__name__)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    widths = {True: n_features + 1, False: n_features} if bias is None else \
        {bool(bias): n_features + int(bool(bias))}
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] not in widths.values():
        want = " or ".join(f"(n_units, {w}) ({'last column = bias' if b else 'no bias'})"
                           for b, w in widths.items())
        fail(param, func, f"an array of shape {want}", f"an array of shape {np.shape(W)}")
    if not np.all(np.isfinite(a)):
        fail(param, func, "finite (no NaN or inf)", "non-finite entries")
    return a, bool(a.shape[1] == n_features + 1)


def _forward(Xf, W, second_layer):
    """Network output on float data; ``W`` with or without the bias column."""
    if W.shape[1] == Xf.shape[1] + 1:
        Z = Xf @ W[:, :-1].T + W[:, -1]
    else:
        Z = Xf @ W.T
    return np.maximum(Z, 0.0) @ second_layer[:-1] + second_layer[-1]


def _check_network(X, W, second_layer, bias, func):
    from ._checks import check_second_layer

    _, Xf = check_data(X, func)
    W, _ = check_weights(W, Xf.shape[1], func, bias=bias)
    v = check_second_layer(second_layer, W.shape[0], func)
    return Xf, W, v


def predict(X: ArrayLike, W: ArrayLike, second_layer: ArrayLike, *,
            bias: bool | None = None) -> NDArray[np.float64]:
    """Network output ``f(x_i)`` for every row of ``X``.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    W : array_like, shape (n_units, n_features + 1) or (n_units, n_features)
        First layer acting on ``(x, 1)`` (with bias) or on ``x`` (bias-free).
    second_layer : array_like, shape (n_units + 1,) or (n_units,)
        ``n_units`` weights then the output bias (``n_units`` entries: output bias 0).
    bias : bool, optional
        Whether the hidden units have a bias; inferred from ``W``'s shape by default,
        checked against it when given.

    Returns
    -------
    ndarray of float64, shape (n_samples,)

    Examples
    --------
    >>> predict([[0.0], [1.0], [2.0], [3.0]], [[1.0, -1.0]], [1.0, 0.0]).tolist()
    [0.0, 0.0, 1.0, 2.0]
    >>> predict([[5.0]], [[0.0, 0.0]], [2.0, -1.0]).tolist()  # a dead unit: output = bias
    [-1.0]
    >>> predict([[-1.0], [2.0]], [[1.0]], [1.0, 0.5]).tolist()  # bias-free: relu(x) + 0.5
    [0.5, 2.5]
    """
    Xf, W, v = _check_network(X, W, second_layer, bias, "predict")
    return _forward(Xf, W, v)


def mean_loss(X: ArrayLike, y: ArrayLike, W: ArrayLike, second_layer: ArrayLike, loss: str | Loss = "mse", *,
              bias: bool | None = None) -> float:
    """Mean loss ``(1/N) sum_i l(f(x_i), y_i)`` of a network (the empirical risk, eq. 1).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    W : array_like, shape (n_units, n_features + 1) or (n_units, n_features)
    second_layer : array_like, shape (n_units + 1,) or (n_units,)
    loss : {"mse", "logistic"}
        See :mod:`relu.losses` for the conventions (MSE without 1/2; logistic with
        labels in {0, 1}).
    bias : bool, optional
        Inferred from ``W``'s shape by default (see :func:`predict`).

    Returns
    -------
    float

    Examples
    --------
    >>> mean_loss([[0.0], [1.0]], [0.0, 2.0], [[1.0, 0.0]], [1.0, 0.0])
    0.5
    """
    Xf, W, v = _check_network(X, W, second_layer, bias, "mean_loss")
    yv = check_labels_vector(y, Xf.shape[0], "mean_loss")
    lo = get_loss(loss, "mean_loss")
    lo.check_labels(yv, "mean_loss")
    return lo.mean(_forward(Xf, W, v), yv)


def glorot_uniform(n_units: int, n_features: int, *, bias: bool = True,
                   rng: int | np.random.Generator | None = None) -> NDArray[np.float64]:
    """Glorot (Xavier) uniform initialisation of the first layer, bias column included.

    Entries are i.i.d. ``U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))``,
    ``fan_in = n_features + 1`` (the homogenised input, so the bias column is drawn
    like the other columns rather than set to zero; ``n_features`` for bias-free
    units) and ``fan_out = n_units`` (Glorot & Bengio 2010).  Drawing the bias too
    makes the activation pattern of the initial weights a uniformly "generic" chamber
    rather than one of the chambers cut by hyperplanes through the origin of input
    space.

    Parameters
    ----------
    n_units : int
        Number of hidden units.
    n_features : int
    bias : bool, default True
        Draw a bias column (shape ``(n_units, n_features + 1)``) or not
        (``(n_units, n_features)``).
    rng : int, numpy.random.Generator or None

    Returns
    -------
    ndarray of float64, shape (n_units, n_features + 1) or (n_units, n_features)

    References
    ----------
    X. Glorot and Y. Bengio, "Understanding the difficulty of training deep feedforward
    neural networks", AISTATS 2010.

    Examples
    --------
    >>> W = glorot_uniform(3, 2, rng=0)
    >>> W.shape, bool(np.all(np.abs(W) <= np.sqrt(6 / 6)))
    ((3, 3), True)
    >>> glorot_uniform(3, 2, bias=False, rng=0).shape
    (3, 2)
    """
    from ._checks import check_bias

    m = check_units(n_units, "glorot_uniform")
    d = check_units(n_features, "glorot_uniform", "n_features")
    bias = check_bias(bias, "glorot_uniform")
    gen = check_rng(rng, "glorot_uniform")
    p = d + int(bias)
    a = np.sqrt(6.0 / (p + m))
    return gen.uniform(-a, a, size=(m, p))


def alternating_second_layer(n_units: int, output_bias: float = 0.0) -> NDArray[np.float64]:
    """Return the default fixed second layer ``(+1, -1, +1, ..., output_bias)``.

    Alternating signs let the network output both positive and negative bumps; units
    with equal weights form two interchangeable groups, which :func:`relu.exact_erm`
    exploits.  The paper fixes the second layer without saying how (App. H is
    unavailable); this default is the toolkit's choice.

    Parameters
    ----------
    n_units : int
    output_bias : float, default 0

    Returns
    -------
    ndarray of float64, shape (n_units + 1,)

    Examples
    --------
    >>> alternating_second_layer(3).tolist()
    [1.0, -1.0, 1.0, 0.0]
    >>> alternating_second_layer(1, output_bias=0.5).tolist()
    [1.0, 0.5]
    """
    m = check_units(n_units, "alternating_second_layer")
    v = np.where(np.arange(m) % 2 == 0, 1.0, -1.0)
    return np.r_[v, float(output_bias)]
