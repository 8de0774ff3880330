"""scikit-learn estimators over the free functions of :mod:`relu`.

:class:`ShallowReLURegressor` (squared loss) and :class:`ShallowReLUClassifier`
(logistic loss; two classes, or more through one-vs-rest networks inside the
estimator) are genuine :class:`sklearn.base.BaseEstimator` subclasses:
keyword-only ``__init__`` that only stores its arguments, validation in ``fit``
(scikit-learn's ``validate_data`` plus the toolkit's own checks), ``random_state``
for randomness, ``__sklearn_tags__``, fitted attributes ending in ``_``.  They pass
:func:`sklearn.utils.estimator_checks.check_estimator` and work in a
:class:`~sklearn.pipeline.Pipeline`, :func:`~sklearn.model_selection.cross_val_score`
and :class:`~sklearn.model_selection.GridSearchCV` (over ``n_units`` and ``method``,
for example).  The mathematics stays in the free functions
(:func:`relu.exact_erm`, :func:`relu.local_search`, :func:`relu.random_vertex`,
:func:`relu.gradient_descent`, :func:`relu.exact_fit_construction`).

scikit-learn (1.6 or later, for ``validate_data`` and ``__sklearn_tags__``) is a
dependency of the package.

Defaults and size guards
------------------------
The default method is ``"gradient_descent"`` with 1000 steps: its cost is linear in
the data, so a fit on the data sets of ``check_estimator`` (up to 200 points in up
to 10 dimensions) takes about 0.25 s on a shared 2-core machine and both estimators
pass all of its checks in well under a minute.  The vertex methods cost more per
step: ``"local_search"`` solves a convex problem for each of the ``n_units * N``
single-flip neighbours at every step, ``"random_vertex"`` ``n_init`` convex problems
(the logistic ones can stall in the conic solver on separable data).  ``method="exact"`` (Algorithm 1,
the global optimum) costs ``C(N, <= d+1)^{n_units}`` convex solves; it refuses with a
:class:`~zonotope.exceptions.TooLargeError` before doing any work when that exceeds
``max_subproblems`` (default 2,000,000), unless ``force=True``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError
from sklearn.utils.validation import validate_data

from zonotope.exceptions import ValidationError

from ._checks import check_bias, check_choice, check_nonneg, check_units, fail
from .exact_erm import exact_erm
from .exact_fit import exact_fit_construction
from .exceptions import NotFittedError as _ReluNotFittedError
from .network import _forward
from .search import gradient_descent, local_search, random_vertex

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["ShallowReLURegressor", "ShallowReLUClassifier", "METHODS"]

#: The training methods, named by the function that runs them.
METHODS = ("exact", "random_vertex", "local_search", "gradient_descent", "construction")


class NotFittedError(_ReluNotFittedError, _SklearnNotFittedError):
    """Both :class:`relu.NotFittedError` and scikit-learn's ``NotFittedError``."""


class _InputTypeError(ValidationError, TypeError):
    """Input of the wrong type (also a :class:`TypeError`, as scikit-learn raises it)."""


_NO_Y = object()


def _seed(random_state, func):
    """``random_state`` (None, int >= 0, RandomState or Generator) as the ``rng`` of :mod:`relu`."""
    if random_state is None or isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(np.iinfo(np.int32).max))
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool) \
            and random_state >= 0:
        return int(random_state)
    fail("random_state", func, "None, a non-negative int, a numpy RandomState or Generator",
         repr(random_state))


def _n_iter(res, method):
    return int(res.info["n_steps"]) if method == "gradient_descent" else int(res.n_solves)


class _ShallowReLU(BaseEstimator):
    """Shared parameters, fitting and prediction of the two estimators."""

    _loss = "mse"
    _methods = METHODS

    def __init__(self, *, n_units=2, method="gradient_descent", second_layer=None, bias=True,
                 ridge=0.0, n_init=10, max_steps=100, n_steps=1000, lr="auto",
                 max_subproblems=2_000_000, force=False, executor=None, random_state=None):  # noqa: D107
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
        self.random_state = random_state

    # ------------------------------------------------------------ validation
    def _validate(self, X, y=_NO_Y, *, reset, func):
        """scikit-learn's ``validate_data``, its errors re-raised as :class:`ValidationError`."""
        if y is not _NO_Y and y is not None:
            yc = np.asarray(y) if not hasattr(y, "dtype") else y
            if np.iscomplexobj(yc) or (getattr(yc, "dtype", None) is not None and yc.dtype == object and any(
                    isinstance(v, complex) for v in np.ravel(yc))):
                raise ValidationError(f"`y` of `{func}` must be real numbers; got complex values "
                                      "instead.  (Complex data not supported.)")
        try:
            if y is _NO_Y:
                return validate_data(self, X, reset=reset, dtype=np.float64)
            return validate_data(self, X, y, reset=reset, dtype=np.float64,
                                 y_numeric=self._loss == "mse")
        except (ValueError, TypeError) as exc:
            if isinstance(exc, ValidationError):
                raise
            cls = _InputTypeError if isinstance(exc, TypeError) else ValidationError
            raise cls(f"`X`/`y` of `{func}` must be finite numeric arrays of shape (n_samples, "
                      f"n_features) and (n_samples,); got input that fails validation instead: "
                      f"{exc}") from exc

    def _check_is_fitted(self):
        if not hasattr(self, "first_layer_"):
            raise NotFittedError(f"this {type(self).__name__} instance is not fitted yet; call "
                                 "`fit` with training data before using it.")

    def __sklearn_is_fitted__(self):
        return hasattr(self, "first_layer_")

    # ------------------------------------------------------------ the fit
    def _fit_targets(self, X, t, func):
        """Run the chosen method on ``(X, t)`` (``t``: float targets / 0-1 labels)."""
        res, method = self._run(X, t, func, _seed(self.random_state, func))
        self.result_ = res
        self.first_layer_ = np.array(res.W, dtype=np.float64)
        self.second_layer_ = np.array(res.second_layer, dtype=np.float64)
        self.chamber_ = np.array(res.patterns)
        self.loss_ = float(res.loss)
        self.n_iter_ = _n_iter(res, method)
        self.n_units_ = int(self.first_layer_.shape[0])
        return self

    def _run(self, X, t, func, rng):
        """The free function of ``method`` on ``(X, t)``; returns ``(FitResult, method)``."""
        method = check_choice(self.method, self._methods, func, "method")
        bias = check_bias(self.bias, func)
        ridge = check_nonneg(self.ridge, func, "ridge")
        if method == "construction":
            if not bias:
                fail("bias", func, "True for method='construction' (its separators are affine)",
                     "False")
            return exact_fit_construction(X, t), method
        m, v = check_units(self.n_units, func), self.second_layer
        common = dict(loss=self._loss, ridge=ridge, bias=bias)
        if method == "exact":
            res = exact_erm(X, t, m, v, max_subproblems=self.max_subproblems,
                            force=bool(self.force), executor=self.executor, progress=False,
                            **common)
        elif method == "random_vertex":
            res = random_vertex(X, t, m, v, n_init=self.n_init, rng=rng, **common)
        elif method == "local_search":
            res = local_search(X, t, m, v, max_steps=self.max_steps, rng=rng, **common)
        else:
            res = gradient_descent(X, t, m, v, lr=self.lr, n_steps=self.n_steps, rng=rng,
                                   **common)
        return res, method

    def _decision(self, X, func):
        self._check_is_fitted()
        Xf = self._validate(X, reset=False, func=func)
        return _forward(Xf, self.first_layer_, self.second_layer_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        return tags


class ShallowReLURegressor(RegressorMixin, _ShallowReLU):
    """Shallow ReLU network ``f(x) = sum_j v_j relu(w_j . x_bar) + v_out`` with a fixed second layer.

    ``x_bar = (x, 1)`` (hidden units with a bias) or ``x_bar = x`` (``bias=False``);
    squared loss.  A scikit-learn regressor (see the module docstring for the
    defaults and the size guard of ``method="exact"``).

    Parameters
    ----------
    n_units : int, default 2
        Hidden units (ignored by ``method="construction"``, which uses
        ``2 ceil(N / (d + 1))``).
    method : {"gradient_descent", "exact", "random_vertex", "local_search", "construction"}
        ``"gradient_descent"`` (default): :func:`relu.gradient_descent`;
        ``"exact"``: :func:`relu.exact_erm` (global optimum, exponential cost);
        ``"random_vertex"``: :func:`relu.random_vertex` with ``n_init`` draws;
        ``"local_search"``: :func:`relu.local_search` from a random vertex;
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
    n_steps : int, default 1000
        Steps of ``"gradient_descent"`` (the free function's default is 5000).
    lr : float or "auto"
        Step size of ``"gradient_descent"``.
    max_subproblems : int, default 2,000,000
        Size limit of ``"exact"`` (refused above it unless ``force``).
    force : bool, default False
        Passed to :func:`relu.exact_erm`.
    executor : optional
        Passed to :func:`relu.exact_erm`.
    random_state : int, numpy.random.RandomState, numpy.random.Generator or None
        Seed of the random start (the ``rng`` of the free functions).

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
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names (a pandas DataFrame).
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

    In a pipeline and a grid search (scikit-learn's own tools):

    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.model_selection import GridSearchCV
    >>> Xs = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> ys = [0.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    >>> pipe = make_pipeline(StandardScaler(), ShallowReLURegressor(random_state=0))
    >>> grid = GridSearchCV(pipe, {"shallowreluregressor__n_units": [1, 2],
    ...                            "shallowreluregressor__method": ["gradient_descent", "exact"]},
    ...                     cv=2)
    >>> sorted(grid.fit(Xs, ys).best_params_)
    ['shallowreluregressor__method', 'shallowreluregressor__n_units']
    """

    def fit(self, X: ArrayLike, y: ArrayLike) -> ShallowReLURegressor:
        """Train on ``(X, y)``; returns ``self``.

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=2, method="random_vertex", random_state=0)
        >>> est.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]) is est
        True
        """
        func = "ShallowReLURegressor.fit"
        Xf, yv = self._validate(X, y, reset=True, func=func)
        return self._fit_targets(Xf, yv.astype(np.float64), func)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Network output on ``X``, shape (n_samples,).

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=1, second_layer=[1.0, 0.0], method="exact")
        >>> est.fit([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0]).predict([[5.0]]).round(6).tolist()
        [5.0]
        """
        return self._decision(X, "ShallowReLURegressor.predict")

    def score(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """Coefficient of determination ``R^2`` of :meth:`predict` (scikit-learn's regressor score).

        Examples
        --------
        >>> est = ShallowReLURegressor(n_units=1, second_layer=[1.0, 0.0], method="exact")
        >>> X = [[0.0], [1.0], [2.0]]
        >>> round(est.fit(X, [0.0, 1.0, 2.0]).score([[0.0], [3.0]], [0.0, 3.0]), 9)
        1.0
        """
        return super().score(X, y, sample_weight=sample_weight)


class ShallowReLUClassifier(ClassifierMixin, _ShallowReLU):
    """Classifier: shallow ReLU networks with a fixed second layer and logistic loss.

    **Two classes**: one network; its output ``f(x)`` is the logit of the second class,
    ``P(classes_[1] | x) = 1 / (1 + exp(-f(x)))``.

    **More classes** (``K = len(classes_) > 2``): one-vs-rest, ``K`` networks inside
    the estimator, network ``k`` trained by the chosen method with the logistic loss
    on "class ``k``" against the rest.  ``decision_function`` returns the ``K``
    logits, ``predict`` their argmax, and ``predict_proba`` the ``K`` sigmoids
    normalised to sum to 1 (as :class:`sklearn.multiclass.OneVsRestClassifier`).
    Why one-vs-rest and not one shared hidden layer with a softmax: every method of
    the library works on the vertices of the zonotope of one network with a scalar
    output and a fixed second layer; each binary problem keeps that structure (its
    vertex subproblems stay convex and ``"exact"`` stays the exact global optimum of
    each binary problem), whereas a softmax over ``K`` outputs of a shared hidden
    layer would need a second-layer matrix and a multinomial loss that no vertex
    subproblem, certificate or exact method of the library supports.

    Labels may be any values (strings included); ``classes_`` holds them sorted.
    The parameters are those of :class:`ShallowReLURegressor` except that
    ``method="construction"`` (exact interpolation of real targets) is not offered.
    On linearly separable data the logistic loss has no minimiser; the vertex methods
    then report ``status="unattained"`` with the infimum and a network on the
    minimising ray (see :class:`relu.exceptions.UnattainedInfimumWarning`).

    Parameters
    ----------
    n_units, method, second_layer, bias, ridge, n_init, max_steps
        As in :class:`ShallowReLURegressor` (per network); ``method`` is one of
        ``"gradient_descent"`` (default), ``"exact"``, ``"random_vertex"``,
        ``"local_search"``.
    n_steps, lr, max_subproblems, force, executor, random_state
        As in :class:`ShallowReLURegressor`; with more than two classes one
        generator seeded by ``random_state`` feeds the ``K`` fits in class order.

    Attributes
    ----------
    classes_ : ndarray, shape (n_classes,)
    first_layer_ : ndarray
        Shape ``(n_units_, p)`` for two classes, ``(n_classes, n_units_, p)`` for more
        (``p = n_features_in_ + 1`` with bias, ``n_features_in_`` without).
    second_layer_ : ndarray
        Shape ``(n_units_ + 1,)``, or ``(n_classes, n_units_ + 1)``.
    chamber_ : ndarray of uint8
        Shape ``(n_units_, n_samples)``, or ``(n_classes, n_units_, n_samples)``.
    loss_ : float
        Training mean logistic loss (for more classes: the mean over the ``K``
        one-vs-rest networks of their training losses).
    n_iter_ : int
        Summed over the networks.
    result_ : FitResult, or tuple of FitResult (one per class)
    n_units_, n_features_in_
        As in :class:`ShallowReLURegressor`.

    Examples
    --------
    >>> X = [[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]]
    >>> y = ["no", "no", "yes", "no", "yes", "yes"]
    >>> clf = ShallowReLUClassifier(n_units=2, random_state=0).fit(X, y)
    >>> clf.classes_.tolist()
    ['no', 'yes']
    >>> clf.predict_proba([[0.0], [5.0]]).shape
    (2, 2)
    >>> clf.predict([[-3.0], [9.0]]).tolist()
    ['no', 'yes']

    Three classes (one-vs-rest inside the estimator):

    >>> X3 = [[4.0, 0.0], [5.0, 0.5], [-2.0, 3.5], [-2.5, 4.0], [-2.0, -3.5], [-2.5, -4.0]]
    >>> y3 = ["a", "a", "b", "b", "c", "c"]
    >>> clf3 = ShallowReLUClassifier(n_units=2, random_state=0).fit(X3, y3)
    >>> clf3.first_layer_.shape, clf3.predict_proba(X3).sum(axis=1).round(12).tolist()
    ((3, 2, 3), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    >>> clf3.predict([[6.0, 0.0], [-3.0, 5.0], [-3.0, -5.0]]).tolist()
    ['a', 'b', 'c']
    """

    _loss = "logistic"
    _methods = ("exact", "random_vertex", "local_search", "gradient_descent")

    def fit(self, X: ArrayLike, y: ArrayLike) -> ShallowReLUClassifier:
        """Train on ``(X, y)`` (two or more classes); returns ``self``.

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]) is clf
        True
        """
        from sklearn.utils.multiclass import check_classification_targets

        func = "ShallowReLUClassifier.fit"
        Xf, yv = self._validate(X, y, reset=True, func=func)
        try:
            check_classification_targets(yv)
        except ValueError as exc:
            raise ValidationError(f"`y` of `{func}` must hold class labels; got {exc}") from exc
        classes, codes = np.unique(yv, return_inverse=True)
        if len(classes) < 2:
            fail("y", func, "labels of at least 2 classes", f"{len(classes)} class(es)")
        if len(classes) == 2:
            self.classes_ = classes
            return self._fit_targets(Xf, codes.astype(np.float64), func)
        seed = _seed(self.random_state, func)
        rng = seed if seed is None else np.random.default_rng(seed)
        runs = [self._run(Xf, (codes == k).astype(np.float64), func, rng)
                for k in range(len(classes))]
        results = tuple(r for r, _ in runs)
        self.classes_ = classes
        self.result_ = results
        self.first_layer_ = np.stack([np.asarray(r.W, dtype=np.float64) for r in results])
        self.second_layer_ = np.stack([np.asarray(r.second_layer, dtype=np.float64)
                                       for r in results])
        self.chamber_ = np.stack([np.asarray(r.patterns) for r in results])
        self.loss_ = float(np.mean([r.loss for r in results]))
        self.n_iter_ = int(sum(_n_iter(r, m) for r, m in runs))
        self.n_units_ = int(self.first_layer_.shape[1])
        return self

    def _logits(self, X, func):
        """``(n_samples,)`` for two classes, ``(n_samples, n_classes)`` for more."""
        self._check_is_fitted()
        if self.first_layer_.ndim == 2:
            return self._decision(X, func)
        Xf = self._validate(X, reset=False, func=func)
        return np.column_stack([_forward(Xf, W, v) for W, v in
                                zip(self.first_layer_, self.second_layer_)])

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Logits: ``f(x)`` of ``classes_[1]``, shape (n_samples,), or (n_samples, n_classes).

        With more than two classes column ``k`` is the logit of the one-vs-rest
        network of ``classes_[k]``.

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]).decision_function([[0.0]]).shape
        (1,)
        """
        return self._logits(X, "ShallowReLUClassifier.decision_function")

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in the order of ``classes_``.

        Rows sum to 1.  Two classes: ``(1 - p, p)`` with ``p`` the sigmoid of the
        logit; more: the one-vs-rest sigmoids divided by their sum.

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> P = clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]).predict_proba([[1.5]])
        >>> bool(abs(P.sum() - 1.0) < 1e-12)
        True
        """
        from scipy.special import expit, log_expit, logsumexp

        z = self._logits(X, "ShallowReLUClassifier.predict_proba")
        if z.ndim == 1:
            return np.column_stack([expit(-z), expit(z)])
        lp = log_expit(z)
        return np.exp(lp - logsumexp(lp, axis=1, keepdims=True))

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`.

        Computed as ``log(predict_proba(X))``, as scikit-learn's own classifiers do, so
        the two always agree (``-inf`` where a probability underflows to 0, which
        happens for logits beyond about 745, e.g. on separable data).

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]).predict_log_proba([[1.5]]).shape
        (1, 2)
        """
        P = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(P)

    def score(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """Mean accuracy of :meth:`predict` (scikit-learn's classifier score).

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> X = [[0.0], [1.0], [2.0], [3.0]]
        >>> 0.0 <= clf.fit(X, [0, 0, 1, 1]).score(X, [0, 0, 1, 1]) <= 1.0
        True
        """
        return super().score(X, y, sample_weight=sample_weight)

    def predict(self, X: ArrayLike) -> np.ndarray:
        """The most probable class of each row of ``X``.

        Examples
        --------
        >>> clf = ShallowReLUClassifier(n_units=1, random_state=0)
        >>> clf.fit([[0.0], [1.0], [2.0], [3.0]], ["a", "a", "b", "b"]).predict([[3.0]]).tolist()
        ['b']
        """
        z = self._logits(X, "ShallowReLUClassifier.predict")
        if z.ndim == 1:
            return self.classes_[(z > 0).astype(np.intp)]
        return self.classes_[np.argmax(z, axis=1)]
