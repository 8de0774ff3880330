"""The scikit-learn contract of ShallowReLURegressor (without importing scikit-learn)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import relu
from relu import NotFittedError, ShallowReLURegressor
from zonotope import ValidationError

X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
Y = np.array([0.0, 0.0, 1.0, 2.0, 1.0])


def test_init_is_keyword_only_and_only_stores():
    params = inspect.signature(ShallowReLURegressor.__init__).parameters
    assert all(p.kind == p.KEYWORD_ONLY for n, p in params.items() if n != "self")
    with pytest.raises(TypeError):
        ShallowReLURegressor(3)
    est = ShallowReLURegressor(n_units=-5, method="nonsense")   # validation happens in fit
    assert est.n_units == -5 and est.method == "nonsense"
    with pytest.raises(ValidationError, match="`method`"):
        est.fit(X, Y)


def test_get_set_params_round_trip():
    est = ShallowReLURegressor(n_units=3, method="gradient_descent", rng=0)
    p = est.get_params()
    assert p["n_units"] == 3 and p["method"] == "gradient_descent" and p["rng"] == 0
    clone = ShallowReLURegressor(**p)
    assert clone.get_params() == p
    assert est.set_params(n_units=4) is est and est.n_units == 4
    with pytest.raises(ValidationError, match="`bogus`"):
        est.set_params(bogus=1)
    assert "n_units=4" in repr(est)


def test_not_fitted_errors():
    est = ShallowReLURegressor()
    for call in (lambda: est.predict(X), lambda: est.score(X, Y)):
        with pytest.raises(NotFittedError):
            call()
    assert issubclass(NotFittedError, (ValueError, AttributeError))


@pytest.mark.parametrize("method", ["exact", "random_vertex", "local_search", "gradient_descent", "construction"])
def test_every_method_fits_and_exposes_fitted_attributes(method):
    est = ShallowReLURegressor(n_units=2, method=method, rng=0, n_steps=2000)
    assert est.fit(X, Y) is est
    m = est.n_units_
    assert est.first_layer_.shape == (m, 2) and est.second_layer_.shape == (m + 1,)
    assert est.chamber_.shape == (m, 5) and est.n_features_in_ == 1
    assert est.predict(X).shape == (5,)
    assert est.loss_ == pytest.approx(np.mean((est.predict(X) - Y) ** 2), rel=1e-9, abs=1e-12)
    assert est.score(X, Y) <= 1.0 + 1e-12
    if method == "construction":
        assert est.loss_ <= 1e-20 and est.n_units_ == 2 * 3


def test_exact_is_best_and_predict_checks_features():
    exact = ShallowReLURegressor(n_units=2, method="exact").fit(X, Y)
    gd = ShallowReLURegressor(n_units=2, method="gradient_descent", rng=1).fit(X, Y)
    assert exact.loss_ <= gd.loss_ + 1e-12
    assert exact.score(X, Y) >= gd.score(X, Y) - 1e-12
    with pytest.raises(ValidationError, match="`X`"):
        exact.predict(np.zeros((2, 3)))
    assert isinstance(exact.result_, relu.FitResult)
