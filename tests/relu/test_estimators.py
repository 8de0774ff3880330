"""The scikit-learn estimators: check_estimator, Pipeline, GridSearchCV, the fitted attributes."""

from __future__ import annotations

import inspect
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import relu
from relu import NotFittedError, ShallowReLUClassifier, ShallowReLURegressor
from zonotope import TooLargeError, ValidationError

X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
Y = np.array([0.0, 0.0, 1.0, 2.0, 1.0])


@pytest.mark.parametrize("Est", [ShallowReLURegressor, ShallowReLUClassifier])
def test_check_estimator_passes_every_check(Est):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(Est(random_state=0), on_fail=None)
    failed = [(r["check_name"], repr(r["exception"])[:300]) for r in results if r["status"] == "failed"]
    assert len(results) > 40 and failed == []


def test_init_is_keyword_only_and_only_stores():
    params = inspect.signature(ShallowReLURegressor.__init__).parameters
    assert all(p.kind == p.KEYWORD_ONLY for n, p in params.items() if n != "self")
    with pytest.raises(TypeError):
        ShallowReLURegressor(3)
    est = ShallowReLURegressor(n_units=-5, method="nonsense")   # validation happens in fit
    assert est.n_units == -5 and est.method == "nonsense"
    with pytest.raises(ValidationError, match="`method`"):
        est.fit(X, Y)
    assert "random_state" in params and "rng" not in params


def test_get_set_params_clone_and_repr():
    est = ShallowReLURegressor(n_units=3, method="gradient_descent", random_state=0)
    p = est.get_params()
    assert p["n_units"] == 3 and p["method"] == "gradient_descent" and p["random_state"] == 0
    assert clone(est).get_params() == p
    assert est.set_params(n_units=4) is est and est.n_units == 4
    with pytest.raises(ValueError, match="bogus"):
        est.set_params(bogus=1)
    assert "n_units=4" in repr(est)


def test_not_fitted_errors_are_both_kinds():
    from sklearn.exceptions import NotFittedError as SkNotFitted

    for est in (ShallowReLURegressor(), ShallowReLUClassifier()):
        with pytest.raises(NotFittedError):
            est.predict(X)
        with pytest.raises(SkNotFitted):
            est.predict(X)


@pytest.mark.parametrize("method", ["exact", "random_vertex", "local_search", "gradient_descent",
                                    "construction"])
def test_every_method_fits_and_exposes_fitted_attributes(method):
    est = ShallowReLURegressor(n_units=2, method=method, random_state=0, n_steps=2000)
    assert est.fit(X, Y) is est
    m = est.n_units_
    assert est.first_layer_.shape == (m, 2) and est.second_layer_.shape == (m + 1,)
    assert est.chamber_.shape == (m, 5) and est.n_features_in_ == 1
    assert est.loss_ == pytest.approx(np.mean((est.predict(X) - Y) ** 2), rel=1e-9, abs=1e-12)
    if method == "construction":
        assert est.loss_ <= 1e-20 and est.n_units_ == 2 * 3


def test_exact_is_best_and_free_function_agrees():
    exact = ShallowReLURegressor(n_units=2, method="exact").fit(X, Y)
    gd = ShallowReLURegressor(n_units=2, method="gradient_descent", random_state=1).fit(X, Y)
    assert exact.loss_ <= gd.loss_ + 1e-12
    ref = relu.exact_erm(X, Y, 2, progress=False)      # the free function is the oracle
    assert exact.loss_ == pytest.approx(ref.loss, abs=1e-12)
    with pytest.raises(ValidationError, match="expecting 1 features"):
        exact.predict(np.zeros((2, 3)))


def test_exact_refuses_large_problems_inside_fit():
    Xb = np.random.default_rng(0).standard_normal((200, 10))
    with pytest.raises(TooLargeError, match="max_subproblems"):
        ShallowReLURegressor(method="exact", n_units=3).fit(Xb, Xb[:, 0])


def test_random_state_makes_fits_reproducible():
    g = np.random.default_rng(3)
    Xr, yr = g.standard_normal((30, 2)), g.standard_normal(30)
    a = ShallowReLURegressor(random_state=7).fit(Xr, yr).predict(Xr)
    b = ShallowReLURegressor(random_state=7).fit(Xr, yr).predict(Xr)
    c = ShallowReLURegressor(random_state=np.random.RandomState(7)).fit(Xr, yr).predict(Xr)
    assert np.array_equal(a, b) and c.shape == a.shape
    with pytest.raises(ValidationError, match="`random_state`"):
        ShallowReLURegressor(random_state=-1).fit(Xr, yr)


def test_classifier_string_labels_proba_and_logistic_loss():
    g = np.random.default_rng(0)
    Xc = np.r_[g.normal(-2, 0.7, (20, 2)), g.normal(2, 0.7, (20, 2))]
    yc = np.array(["cat"] * 20 + ["dog"] * 20)
    clf = ShallowReLUClassifier(n_units=2, random_state=1).fit(Xc, yc)
    assert clf.classes_.tolist() == ["cat", "dog"]
    P = clf.predict_proba(Xc)
    assert P.shape == (40, 2) and np.allclose(P.sum(axis=1), 1.0)
    assert np.allclose(np.exp(clf.predict_log_proba(Xc)), P)
    assert clf.score(Xc, yc) >= 0.95
    z = clf.decision_function(Xc)       # loss_ is the mean logistic loss of the logits
    t = (yc == "dog").astype(float)
    assert clf.loss_ == pytest.approx(np.mean(np.logaddexp(0.0, z) - t * z), rel=1e-9)
    with pytest.raises(ValidationError, match="at least 2 classes"):   # more: one-vs-rest
        ShallowReLUClassifier().fit(Xc, np.zeros(40))
    with pytest.raises(ValidationError, match="`method`"):
        ShallowReLUClassifier(method="construction").fit(Xc, yc)


def test_pipeline_grid_search_and_cross_val_score():
    g = np.random.default_rng(1)
    Xr = g.uniform(-3, 3, (40, 2)) * [100.0, 0.01]           # badly scaled features
    yr = np.abs(Xr[:, 0] / 100.0) - Xr[:, 1] * 50.0
    pipe = make_pipeline(StandardScaler(), ShallowReLURegressor(random_state=0))
    grid = GridSearchCV(pipe, {"shallowreluregressor__n_units": [1, 2, 4],
                               "shallowreluregressor__method": ["gradient_descent", "random_vertex"]},
                        cv=3).fit(Xr, yr)
    assert set(grid.best_params_) == {"shallowreluregressor__n_units", "shallowreluregressor__method"}
    assert grid.best_score_ > 0.5
    assert cross_val_score(pipe, Xr, yr, cv=3).shape == (3,)
    Xc = g.standard_normal((40, 2))
    yc = np.where(Xc[:, 0] * Xc[:, 1] > 0, "same", "diff")
    cpipe = make_pipeline(StandardScaler(), ShallowReLUClassifier(random_state=0))
    cgrid = GridSearchCV(cpipe, {"shallowreluclassifier__n_units": [2, 4],
                                 "shallowreluclassifier__method": ["gradient_descent", "random_vertex"]},
                         cv=3).fit(Xc, yc)
    assert cgrid.predict(Xc).dtype.kind == "U"


def test_fitted_estimator_pickles():
    est = ShallowReLURegressor(random_state=0).fit(X, Y)
    back = pickle.loads(pickle.dumps(est))
    assert np.array_equal(back.predict(X), est.predict(X))
