"""ShallowReLUClassifier with more than two classes (one-vs-rest networks inside).

Oracles: scikit-learn's own :class:`~sklearn.multiclass.OneVsRestClassifier` around
the binary estimator (same networks with ``method="exact"``, same probabilities), and
the free function :func:`relu.exact_erm` on each binary problem.
"""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import relu
from relu import ShallowReLUClassifier
from zonotope.exceptions import ValidationError

NAMES = np.array(["cat", "dog", "eel"])


def _three_blobs(n_per, seed, spread=0.5):
    rng = np.random.default_rng(seed)
    centres = np.array([[4.0, 0.0], [-2.0, 3.5], [-2.0, -3.5]])
    X = np.concatenate([c + spread * rng.normal(size=(n_per, 2)) for c in centres])
    return X, np.repeat(NAMES, n_per)


def test_probabilities_labels_and_shapes():
    X, y = _three_blobs(15, 0)
    clf = ShallowReLUClassifier(n_units=2, random_state=0).fit(X, y)
    assert clf.classes_.tolist() == NAMES.tolist()
    P = clf.predict_proba(X)
    assert P.shape == (45, 3) and np.all(P >= 0) and np.allclose(P.sum(axis=1), 1.0)
    Z = clf.decision_function(X)
    assert Z.shape == (45, 3)
    assert np.array_equal(clf.predict(X), NAMES[np.argmax(P, axis=1)])
    assert np.array_equal(np.argmax(P, axis=1), np.argmax(Z, axis=1))
    assert np.allclose(np.exp(clf.predict_log_proba(X)), P)
    assert clf.score(X, y) >= 0.95
    assert clf.first_layer_.shape == (3, 2, 3) and clf.second_layer_.shape == (3, 3)
    assert clf.chamber_.shape == (3, 2, 45) and len(clf.result_) == 3
    t = (y[:, None] == NAMES[None, :]).astype(float)    # loss_: mean of the binary losses
    per_class = np.mean(np.logaddexp(0.0, Z) - t * Z, axis=0)
    assert clf.loss_ == pytest.approx(per_class.mean(), rel=1e-9)


def test_exact_one_vs_rest_equals_sklearn_wrapper_and_free_function():
    X, y = _three_blobs(3, 1)         # 9 points: the exact method is cheap
    kw = dict(n_units=1, method="exact", second_layer=[1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = ShallowReLUClassifier(**kw).fit(X, y)
        ovr = OneVsRestClassifier(ShallowReLUClassifier(**kw)).fit(X, y)
        for k, name in enumerate(NAMES):
            free = relu.exact_erm(X, (y == name).astype(float), 1, [1.0, 0.0], loss="logistic",
                                  progress=False)
            assert ours.result_[k].loss == pytest.approx(free.loss, abs=1e-9)
            assert np.allclose(ours.predict_proba(X)[:, k] / ours.predict_proba(X)[:, k].sum(),
                               ovr.predict_proba(X)[:, k] / ovr.predict_proba(X)[:, k].sum(),
                               atol=1e-6)
    assert np.allclose(ours.predict_proba(X), ovr.predict_proba(X), atol=1e-6)
    assert np.array_equal(ours.predict(X), ovr.predict(X))


def test_reproducible_with_random_state_and_different_nets_per_class():
    X, y = _three_blobs(10, 2)
    a = ShallowReLUClassifier(n_units=2, method="random_vertex", random_state=3).fit(X, y)
    b = ShallowReLUClassifier(n_units=2, method="random_vertex", random_state=3).fit(X, y)
    assert np.array_equal(a.first_layer_, b.first_layer_)
    assert not np.array_equal(a.first_layer_[0], a.first_layer_[1])


def test_four_classes_integer_labels_and_refusal_of_one_class():
    X, y = _three_blobs(8, 3)
    X = np.vstack([X, [[0.0, 0.0]] * 4 + 0.1 * np.arange(8).reshape(4, 2)])
    yi = np.r_[np.repeat([10, 20, 30], 8), [40] * 4]
    clf = ShallowReLUClassifier(n_units=3, random_state=0).fit(X, yi)
    assert clf.classes_.tolist() == [10, 20, 30, 40]
    assert np.allclose(clf.predict_proba(X).sum(axis=1), 1.0)
    with pytest.raises(ValidationError, match="`y` of `ShallowReLUClassifier.fit`"):
        ShallowReLUClassifier().fit(X, np.ones(len(X)))


def test_pipeline_grid_search_and_cross_validation():
    X, y = _three_blobs(10, 4)
    X = X * 100.0 + 7.0                                   # the scaler matters
    pipe = make_pipeline(StandardScaler(), ShallowReLUClassifier(random_state=0))
    grid = GridSearchCV(pipe, {"shallowreluclassifier__n_units": [1, 2],
                               "shallowreluclassifier__method": ["gradient_descent",
                                                                  "random_vertex"]}, cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        grid.fit(X, y)
        scores = cross_val_score(pipe, X, y, cv=3)
    assert set(grid.best_params_) == {"shallowreluclassifier__n_units",
                                      "shallowreluclassifier__method"}
    assert grid.best_score_ >= 0.9 and scores.mean() >= 0.9
    assert set(grid.predict(X)) <= set(NAMES)
