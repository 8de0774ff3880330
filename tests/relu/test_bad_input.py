"""Bad input that used to be accepted or crash (issue 10, section 6), relu side."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import relu
from zonotope import TooLargeError, ValidationError

X = [[0.0], [1.0], [2.0], [3.0]]
Y = [0.0, 0.0, 1.0, 2.0]

SEEDED = {
    "random_vertex": lambda **kw: relu.random_vertex(X, Y, 2, **kw),
    "local_search": lambda **kw: relu.local_search(X, Y, 2, **kw),
    "gradient_descent": lambda **kw: relu.gradient_descent(X, Y, 2, n_steps=10, **kw),
    "random_pattern": lambda **kw: relu.random_pattern(X, 2, **kw),
    "glorot_uniform": lambda **kw: relu.glorot_uniform(2, 1, **kw),
}


@pytest.mark.parametrize("name", sorted(SEEDED))
def test_negative_seed_is_a_typed_error(name):
    with pytest.raises(ValidationError, match=f"`rng` of `{name}` must be None, a non-negative "
                       "int or a numpy.random.Generator; got -1 instead"):
        SEEDED[name](rng=-1)
    SEEDED[name](rng=0)


COMPLEX = {
    "exact_erm": lambda y: relu.exact_erm(X, y, 1, progress=False),
    "random_vertex": lambda y: relu.random_vertex(X, y, 1),
    "local_search": lambda y: relu.local_search(X, y, 1),
    "gradient_descent": lambda y: relu.gradient_descent(X, y, 1, n_steps=10),
    "mean_loss": lambda y: relu.mean_loss(X, y, [[1.0, 0.0]], [1.0, 0.0]),
    "ShallowReLURegressor.fit": lambda y: relu.ShallowReLURegressor(n_units=1).fit(X, y),
}


@pytest.mark.parametrize("name", sorted(COMPLEX))
@pytest.mark.parametrize("labels", [
    [0.0, 1j, 1.0, 2.0],                                  # a complex entry
    np.array([0.0, 0.0, 1.0, 2.0], dtype=complex),        # a complex array, imaginary part 0
    np.array([0.0, 0.0, 1.0, 2.0 + 3j], dtype=object),    # a Python complex in an object array
], ids=["list", "complex-dtype", "object"])
def test_complex_labels_are_refused_not_cast(name, labels):
    with pytest.raises(ValidationError, match=f"`y` of `{name}` must be real numbers; got complex "
                       "values instead"):
        COMPLEX[name](labels)


def test_complex_second_layer_is_refused():
    with pytest.raises(ValidationError, match="`second_layer` of `exact_erm` must be real"):
        relu.exact_erm(X, Y, 1, [1.0 + 1j, 0.0], progress=False)


HUGE = 10**9


@pytest.mark.parametrize("call", [
    lambda: relu.exact_erm(X, Y, HUGE, progress=False),
    lambda: relu.exact_erm(X, Y, HUGE, progress=False, force=True),
    lambda: relu.random_vertex(X, Y, HUGE),
    lambda: relu.local_search(X, Y, HUGE),
    lambda: relu.gradient_descent(X, Y, HUGE),
    lambda: relu.random_pattern(X, HUGE),
    lambda: relu.ShallowReLURegressor(n_units=HUGE).fit(X, Y),
], ids=["exact", "exact-forced", "random_vertex", "local_search", "gradient_descent",
        "random_pattern", "estimator"])
def test_a_billion_units_is_refused_before_anything_large_is_allocated(call):
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError, match="`n_units` of `.*` must be small enough .* GiB"):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20


def test_exact_erm_with_many_units_estimates_and_refuses_unless_forced():
    rng = np.random.default_rng(0)
    Xr, yr = rng.standard_normal((10, 2)), rng.standard_normal(10)
    with pytest.raises(TooLargeError, match=r"would solve up to [\d,]+ subproblems .*force=True"):
        relu.exact_erm(Xr, yr, 4, progress=False)
    with pytest.raises(TooLargeError, match=r"about 10\^\d+\.\d subproblems"):
        relu.exact_erm(Xr, yr, 1000, progress=False)
    r = relu.exact_erm(Xr[:4], yr[:4], 2, max_subproblems=5, force=True, progress=False)
    assert r.complete and r.info["n_vertices"] > 5


def test_checkpoint_every_and_workers_are_validated():
    with pytest.raises(ValidationError, match="`checkpoint_every` of `exact_erm`"):
        relu.exact_erm(X, Y, 1, checkpoint_every=-1.0, progress=False)
    with pytest.raises(ValidationError, match="`workers` of `exact_erm` must be None or an int "
                       "from 1 to"):
        relu.exact_erm(X, Y, 1, workers=True, progress=False)
