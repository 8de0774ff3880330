"""A scikit-learn-style estimator over the free functions of :mod:`relu`.

The scikit-learn contract is implemented without importing scikit-learn:
keyword-only ``__init__`` that only stores its arguments, validation in ``fit`` from
a parameter table, ``fit`` returns ``self``, fitted attributes end in ``_``,
``get_params``/``set_params``, and ``predict``/``score`` raise
:class:`~relu.exceptions.NotFittedError` before ``fit``.
"""

from __future__ import annotations

import inspect

import numpy as np

from ._checks import check_bias, check_choice, check_data, check_labels_vector, check_nonneg, \
    check_units, fail
from .exact_erm import exact_erm
from .exact_fit import exact_fit_construction
from .exceptions import NotFittedError
from .network import _forward
from .search import gradient_descent, local_search, random_vertex

__all__ = ["ShallowReLURegressor", "METHODS"]

#: The training methods, named by the function that runs them.
METHODS = ("exact", "random_vertex", "local_search", "gradient_descent", "construction")


def _check_is_fitted(est, attr="first_layer_"):
    if not hasattr(est, attr):
        raise NotFittedError(f"this {type(est).__name__} instance is not fitted yet; call "
                             "`fit` with training data before using it.")


class ShallowReLURegressor:
    """Shallow ReLU network ``f(x) = sum_j v_j relu(w_j . x_bar) + v_out`` with a fixed second layer.

    ``x_bar = (x, 1)`` (hidden units with a bias) or ``x_bar = x`` (``bias=False``).

    Parameters
    ----------
    n_units : int, default 2
        Hidden units (ignored by ``method="construction"``, which uses
        ``2 ceil(N / (d + 1))``).
    method : {"exact", "random_vertex", "local_search", "gradient_descent", "construction"}
        ``"exact"``: :func:`relu.exact_erm` (global optimum, exponential cost);
        ``"random_vertex"``: :func:`relu.random_vertex` with ``n_init`` draws;
        ``"local_search"``: :func:`relu.local_search` from a random vertex;
        ``"gradient_descent"``: :func:`relu.gradient_descent`;
        ``"construction"``: :func:`relu.exact_fit_construction` (Theorem 4.3; needs
        ``bias=True``).
    second_layer : array_like of shape (n_units + 1,) or (n_units,), optional
        Fixed second layer; default ``(+1, -1, +1, ..., 0)``.
    bias : bool, default True
        Hidden units with or without a bias.
    ridge : float, default 0
    n_init : int, default 10
        Draws for ``"random_vertex"``.
    max_steps : int, default 100
        Steps of ``"local_search"``.
    n_steps : int, default 5000
        Steps of ``"gradient_descent"``.
    lr : float or "auto"
        Step size of ``"gradient_descent"``.
    max_subproblems : int, default 2,000,000
    force : bool, default False
        Passed to :func:`relu.exact_erm`.
    executor : optional
        Passed to :func:`relu.exact_erm`.
    rng : int, numpy.random.Generator or None

    Attributes
    ----------
    first_layer_ : ndarray, shape (n_units_, n_features_in_ + 1) or (n_units_, n_features_in_)
    second_layer_ : ndarray, shape (n_units_ + 1,)
    chamber_ : ndarray of uint8, shape (n_units_, n_samples)
        Activation pattern (vertex of ``Z^m``) of the solution on the training data.
    loss_ : float
        Training mean squared error.
    n_iter_ : int
        Convex subproblems solved (gradient steps for ``"gradient_descent"``).
    n_units_ : int
    n_features_in_ : int
    result_ : FitResult

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> est = ShallowReLURegressor(n_units=1, method="exact", second_layer=[1.0, 0.0])
    >>> est.fit(X, [0.0, 0.0, 1.0, 2.0]).predict([[4.0]]).round(6).tolist()
    [3.0]
    >>> round(est.score(X, [0.0, 0.0, 1.0, 2.0]), 9)
    1.0
    >>> est.get_params()["method"]
    'exact'
    """

    def __init__(self, *, n_units=2, method="exact", second_layer=None, bias=True, ridge=0.0,
                 n_init=10, max_steps=100, n_steps=5000, lr="auto", max_subproblems=2_000_000,
                 force=False, executor=None, rng=None):
        self.n_units = n_units
        self.method = method
        self.second_layer = second_layer
        self.bias = bias
        self.ridge = ridge
        self.n_init = n_init
        self.max_steps = max_steps
        self.n_steps = n_steps
        self.lr = lr
        self.max_subproblems = max_subproblems
        self.force = force
        self.executor = executor
        self.rng = rng

    # ------------------------------------------------------------ sklearn plumbing
    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values() if p.kind == p.KEYWORD_ONLY)

    def get_params(self, deep=True):
        """Parameters of this estimator (scikit-learn contract).

        Examples
        --------
        >>> ShallowReLURegressor(n_units=3).get_params()["n_units"]
        3
        """
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set parameters; returns ``self``.

        Examples
        --------
        >>> ShallowReLURegressor().set_params(method="gradient_descent").method
        'gradient_descent'
        """
        valid = set(self._param_names())
        for k, val in params.items():
            if k not in valid:
                fail(k, "ShallowReLURegressor.set_params", "a parameter of the estimator ("
                     + ", ".join(sorted(valid)) + ")", "an unknown name")
            setattr(self, k, val)
        return self

    def __repr__(self):
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
                    if p.kind == p.KEYWORD_ONLY}
        shown = [f"{k}={getattr(self, k)!r}" for k in self._param_names()
                 if not _same(getattr(self, k), defaults[k])]
        return f"{type(self).__name__}({', '.join(shown)})"

    # ------------------------------------------------------------ estimator API
    def fit(self, X, y):
        """Train on ``(X, y)``; returns ``self``.

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=2, method="random_vertex", rng=0)
        >>> est.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]) is est
        True
        """
        func = "ShallowReLURegressor.fit"
        method = check_choice(self.method, METHODS, func, "method")
        bias = check_bias(self.bias, func)
        Xv, Xf = check_data(X, func)
        yv = check_labels_vector(y, Xf.shape[0], func)
        ridge = check_nonneg(self.ridge, func, "ridge")
        if method == "construction":
            if not bias:
                fail("bias", func, "True for method='construction' (its separators are affine)",
                     "False")
            res = exact_fit_construction(Xv, yv)
        else:
            m, v = check_units(self.n_units, func), self.second_layer
            if method == "exact":
                res = exact_erm(Xv, yv, m, v, ridge=ridge, bias=bias,
                                max_subproblems=self.max_subproblems, force=bool(self.force),
                                executor=self.executor, progress=False)
            elif method == "random_vertex":
                res = random_vertex(Xv, yv, m, v, ridge=ridge, n_init=self.n_init, bias=bias,
                                    rng=self.rng)
            elif method == "local_search":
                res = local_search(Xv, yv, m, v, ridge=ridge, max_steps=self.max_steps, bias=bias,
                                   rng=self.rng)
            else:
                res = gradient_descent(Xv, yv, m, v, ridge=ridge, lr=self.lr, n_steps=self.n_steps,
                                       bias=bias, rng=self.rng)
        self.result_ = res
        self.first_layer_ = np.array(res.W)
        self.second_layer_ = np.array(res.second_layer)
        self.chamber_ = np.array(res.patterns)
        self.loss_ = float(res.loss)
        self.n_iter_ = int(res.info["n_steps"]) if method == "gradient_descent" else int(res.n_solves)
        self.n_units_ = int(res.W.shape[0])
        self.n_features_in_ = int(Xf.shape[1])
        return self

    def predict(self, X):
        """Network output on ``X`` (n_samples,).

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=1, second_layer=[1.0, 0.0])
        >>> est.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).predict([[5.0]]).round(6).tolist()
        [5.0]
        """
        _check_is_fitted(self)
        _, Xf = check_data(X, "ShallowReLURegressor.predict")
        if Xf.shape[1] != self.n_features_in_:
            fail("X", "ShallowReLURegressor.predict", f"an array with {self.n_features_in_} "
                 "features (as in fit)", f"{Xf.shape[1]} features")
        return _forward(Xf, self.first_layer_, self.second_layer_)

    def score(self, X, y):
        """Coefficient of determination ``R^2`` of the predictions (scikit-learn's regressor score).

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=1, second_layer=[1.0, 0.0])
        >>> round(est.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).score([[0.0], [3.0]], [0.0, 3.0]), 9)
        1.0
        """
        _check_is_fitted(self)
        pred = self.predict(X)
        yv = check_labels_vector(y, pred.shape[0], "ShallowReLURegressor.score")
        ss_res = float(np.sum((yv - pred) ** 2))
        ss_tot = float(np.sum((yv - yv.mean()) ** 2))
        if ss_tot == 0:
            return 1.0 if ss_res == 0 else 0.0
        return 1.0 - ss_res / ss_tot


def _same(a, b):
    try:
        return bool(a == b) if not isinstance(a, np.ndarray) else False
    except (TypeError, ValueError):
        return False
