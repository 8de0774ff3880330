r"""Between the convex program and ReLU networks with weight decay.

The non-convex model (no output bias) and its objective in paper scaling are

.. math::

    f(x) = \sum_{k=1}^m \theta^2_k\, (\theta^1_k \cdot \bar x)_+, \qquad
    L(f(X), y) + \frac{\lambda}{2} \sum_k \big(\|\theta^1_k\|^2 + (\theta^2_k)^2\big),

with ``x_bar = (x, 1)`` for ``bias=True`` (the hidden bias is the last entry of
``theta^1_k`` and is penalised like the other weights) and ``x_bar = x`` otherwise.

* CGL -> network (:func:`cgl_to_relu`): every non-zero block ``w_b`` becomes one unit,
  ``theta^1 = w_b / sqrt(|w_b|)``, ``theta^2 = s_b sqrt(|w_b|)``.  On the training data
  ``(Xb theta^1)_+ = D Xb theta^1`` (cone constraint), so the fit is unchanged and
  ``(lambda/2)(|theta^1|^2 + theta^2^2) = lambda |w_b|``: the network's objective
  equals the convex objective.
* network -> CGL (:func:`relu_to_cgl`): unit ``k`` with pattern ``D = 1{Xb theta^1_k > 0}``
  (decided exactly) and sign ``s = sign(theta^2_k)`` gives the block
  ``w = |theta^2_k| theta^1_k`` in the cone of ``D``; units sharing a (pattern, sign)
  are summed.  By AM-GM and the triangle inequality the convex objective is at most
  the network's, so a lower bound on the convex side bounds the network too.

``W`` follows the toolkit's convention: shape ``(n_units, n_features + 1)`` with
``bias=True`` (last column = bias), ``(n_units, n_features)`` with ``bias=False``;
``second_layer`` has length ``n_units + 1`` (last entry = output bias, here 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice, check_data, check_labels_vector, check_nonneg, fail

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .program import CGLProgram
    from .result import CGLResult

__all__ = ["ReLUNetwork", "cgl_to_relu", "relu_to_cgl", "nonconvex_objective"]


def _as_relu_weights(W, bias):
    """First layer in :mod:`relu.network`'s homogenised form (zero bias column if needed)."""
    W = np.asarray(W, dtype=np.float64)
    return W if bias else np.hstack([W, np.zeros((W.shape[0], 1))])


@dataclass(frozen=True, eq=False)
class ReLUNetwork:
    """A two-layer ReLU network ``f(x) = sum_k second_layer[k] (W[k] . x_bar)_+ + second_layer[-1]``.

    Attributes
    ----------
    W : ndarray, shape (n_units, n_features + bias)
    second_layer : ndarray, shape (n_units + 1,)
    bias : bool
        Whether ``W`` has the hidden-bias column (``x_bar = (x, 1)``).

    Examples
    --------
    >>> net = ReLUNetwork(np.array([[1.0, -1.0]]), np.array([2.0, 0.0]))
    >>> net.n_units, net.predict([[0.0], [3.0]]).tolist()
    (1, [0.0, 4.0])
    """

    W: np.ndarray
    second_layer: np.ndarray
    bias: bool = True

    def __post_init__(self):
        for name in ("W", "second_layer"):
            a = np.array(getattr(self, name), dtype=np.float64, copy=True)
            a.flags.writeable = False
            object.__setattr__(self, name, a)

    @property
    def n_units(self) -> int:
        """Number of hidden units (rows of ``W``)."""
        return int(self.W.shape[0])

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Network output on ``X`` (through :func:`relu.predict`).

        Examples
        --------
        >>> ReLUNetwork(np.zeros((0, 2)), np.zeros(1)).predict([[1.0]]).tolist()
        [0.0]
        """
        from ..network import predict

        if self.n_units == 0:
            _, Xf = check_data(X, "ReLUNetwork.predict")
            return np.full(Xf.shape[0], float(self.second_layer[-1]))
        return predict(X, _as_relu_weights(self.W, self.bias), self.second_layer)

    def objective(self, X: ArrayLike, y: ArrayLike, lam: float, *, loss: str = "mse",
                  scaling: str = "paper") -> float:
        """Weight-decayed objective (see :func:`nonconvex_objective`).

        Examples
        --------
        >>> net = ReLUNetwork(np.array([[1.0, 0.0]]), np.array([1.0, 0.0]))
        >>> net.objective([[1.0]], [1.0], 0.5)    # fit exact; 0.25 (1 + 1)
        0.5
        """
        return nonconvex_objective(X, y, lam, self.W, self.second_layer, loss=loss,
                                   bias=self.bias, scaling=scaling)


def nonconvex_objective(X: ArrayLike, y: ArrayLike, lam: float, W: ArrayLike, second_layer: ArrayLike, *,
                        loss: str = "mse", bias: bool = True, scaling: str = "paper") -> float:
    """``L(f(X), y) + (lam/2) (||W||_F^2 + ||second_layer[:-1]||^2)`` of a ReLU network.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    lam : float
        Weight decay in the given ``scaling``.
    W : array_like, shape (n_units, n_features + bias)
    second_layer : array_like, shape (n_units + 1,)
        Output weights, then the output bias (not penalised).
    loss : {"mse", "logistic"}
        ``L = 1/2 sum (f - y)^2`` or ``sum log(1 + e^f) - y f`` (paper scaling).
    bias : bool
    scaling : {"paper", "mean"}
        ``"mean"``: ``L / n + (lam/2)(...)`` (pyscnn's).

    Returns
    -------
    float

    Notes
    -----
    The data term uses :func:`relu.mean_loss` (mean of ``(f - y)^2`` or of the
    logistic loss): ``L = (n/2) mean_loss`` for ``"mse"``, ``n mean_loss`` for
    ``"logistic"``.

    Examples
    --------
    >>> nonconvex_objective([[0.0], [1.0]], [0.0, 1.0], 0.1, [[1.0, 0.0]], [1.0, 0.0])
    0.1
    """
    from ..network import mean_loss

    func = "nonconvex_objective"
    _, Xf = check_data(X, func)
    n = Xf.shape[0]
    yv = check_labels_vector(y, n, func)
    lam = check_nonneg(lam, func, "lam")
    loss = check_choice(loss, ("mse", "logistic"), func, "loss")
    scaling = check_choice(scaling, ("paper", "mean"), func, "scaling")
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[1] != Xf.shape[1] + int(bool(bias)):
        fail("W", func, f"an array of shape (n_units, {Xf.shape[1] + int(bool(bias))})",
             f"shape {W.shape}")
    v = np.asarray(second_layer, dtype=np.float64).reshape(-1)
    if v.shape[0] != W.shape[0] + 1:
        fail("second_layer", func, f"a vector of length {W.shape[0] + 1}", f"length {v.shape[0]}")
    if W.shape[0] == 0:
        z = np.full(n, v[-1])
        data = 0.5 * float(np.sum((z - yv) ** 2)) if loss == "mse" else \
            float(np.sum(np.logaddexp(0, z) - yv * z))
    else:
        ml = mean_loss(Xf, yv, _as_relu_weights(W, bias), v, loss)
        data = 0.5 * n * ml if loss == "mse" else n * ml
    reg = 0.5 * lam * (float(np.sum(W * W)) + float(np.sum(v[:-1] ** 2)))
    return data / n + reg if scaling == "mean" else data + reg


def cgl_to_relu(program: CGLProgram, blocks: ArrayLike, *, drop_zero: bool = True) -> ReLUNetwork:
    """The ReLU network of CGL block weights (square-root scaling, one unit per block).

    Parameters
    ----------
    program : CGLProgram
    blocks : ndarray, shape (2P, p)
    drop_zero : bool
        Leave out zero blocks (they would be dead units).

    Returns
    -------
    ReLUNetwork
        Units ordered by block (all ``u`` blocks, then all ``h`` blocks).

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0]], [0.0, 1.0], 0.1, [[0, 1]])
    >>> net = cgl_to_relu(prog, np.array([[4.0, 0.0], [0.0, 0.0]]))
    >>> net.W.tolist(), net.second_layer.tolist()
    ([[2.0, 0.0]], [2.0, 0.0])
    """
    Wb = np.asarray(blocks, dtype=np.float64).reshape(program.n_blocks, program.p)
    norms = np.linalg.norm(Wb, axis=1)
    keep = np.nonzero(norms > 0)[0] if drop_zero else np.arange(program.n_blocks)
    root = np.sqrt(norms[keep])
    with np.errstate(invalid="ignore", divide="ignore"):
        W1 = np.where(root[:, None] > 0, Wb[keep] / np.where(root > 0, root, 1.0)[:, None], 0.0)
    v = np.r_[program.block_signs[keep] * root, 0.0]
    return ReLUNetwork(W1, v, program.bias)


def relu_to_cgl(X: ArrayLike, y: ArrayLike, lam: float, W: ArrayLike, second_layer: ArrayLike, *,
                loss: str = "mse", bias: bool = True, scaling: str = "paper") -> CGLResult:
    """Map a ReLU network to a point of the CGL on its own activation patterns.

    Parameters
    ----------
    X, y : array_like
    lam : float
        Weight decay in the given ``scaling``.
    W : array_like, shape (n_units, n_features + bias)
    second_layer : array_like, shape (n_units + 1,)
        Its last entry (output bias) must be 0: the program has no output bias.
    loss, bias, scaling : see :func:`relu.solve_cgl`.

    Returns
    -------
    CGLResult
        ``method="network"``; its ``objective`` is ``<=`` the network's weight-decayed
        objective, and :func:`relu.convex.certify_global` on it bounds how far the
        network is from the global optimum.

    Examples
    --------
    >>> r = relu_to_cgl([[0.0], [1.0]], [0.0, 1.0], 0.1, [[1.0, 0.0], [2.0, 0.0]],
    ...                 [1.0, 0.5, 0.0])
    >>> r.program.n_patterns, np.round(r.U, 12).tolist()   # two units, one pattern: merged
    (1, [[2.0, 0.0]])
    """
    import time

    from .program import CGLProgram, _arrangement
    from .result import build_result

    t0 = time.perf_counter()
    func = "relu_to_cgl"
    Xv, Xf = check_data(X, func)
    n, d = Xf.shape
    p = d + int(bool(bias))
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[1] != p:
        fail("W", func, f"an array of shape (n_units, {p})", f"shape {W.shape}")
    v = np.asarray(second_layer, dtype=np.float64).reshape(-1)
    if v.shape[0] != W.shape[0] + 1:
        fail("second_layer", func, f"a vector of length {W.shape[0] + 1}", f"length {v.shape[0]}")
    if v[-1] != 0:
        fail("second_layer", func, "a vector whose last entry (the output bias) is 0",
             f"output bias {v[-1]!r}")
    arr, idx = _arrangement(Xv, bool(bias))
    D = np.zeros((W.shape[0], n), dtype=np.uint8)
    if arr.n_hyperplanes and W.shape[0]:
        D[:, idx] = (arr.sign_vectors(W) > 0).astype(np.uint8)
    s = np.sign(v[:-1])
    live = (s != 0) & D.any(axis=1)
    base = CGLProgram.build(Xv, y, lam, D[live] if live.any() else np.zeros((0, n)), loss=loss,
                            bias=bool(bias), scaling=scaling, func=func)
    P = base.n_patterns
    blocks = np.zeros((2 * P, p))
    if P:
        packed = np.packbits(base.patterns, axis=1)
        where = {row.tobytes(): j for j, row in enumerate(packed)}
        for k in np.nonzero(live)[0]:
            j = where[np.packbits(D[k]).tobytes()]
            b = j if s[k] > 0 else P + j
            blocks[b] += abs(v[k]) * W[k]
    return build_result(base, blocks, method="network", seconds=time.perf_counter() - t0,
                        solver_info={"status": "mapped", "n_units": int(W.shape[0])},
                        scaling=scaling, polish_first=False)
