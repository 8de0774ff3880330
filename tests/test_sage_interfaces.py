"""The "Sage -> zonotope" table of docs/sage.md: our numbers, Sage's recorded numbers, and
(when the ``sage`` extra is installed, ``-m sage``) Sage itself."""

from __future__ import annotations

import pytest
import sympy

from zonotope import Arrangement, figure1_points
from zonotope.library import (
    braid_arrangement,
    catalan_arrangement,
    coordinate_arrangement,
    shi_arrangement,
)

P = [(-2, -1), (1, -2), (2, 1), (0, 2), (-1, 0)]
OURS = {
    "braid, n=4": lambda: braid_arrangement(4),
    "Shi, n=3": lambda: shi_arrangement(3),
    "Catalan, n=3": lambda: catalan_arrangement(3),
    "coordinate, d=3": lambda: coordinate_arrangement(3),
    "x, y, x+y-1": lambda: Arrangement([[1, 0], [0, 1], [1, 1]], [0, 0, 1]),
    "Figure 1 data": lambda: Arrangement.from_points(figure1_points()),
}
# recorded from SageMath 10.8 (passagemath-polyhedra); the live comparison is the sage test below
SAGE = {
    "braid, n=4": (24, 0, "x^4 - 6*x^3 + 11*x^2 - 6*x", True, False, 3),
    "Shi, n=3": (16, 4, "x^3 - 6*x^2 + 9*x", False, False, 2),
    "Catalan, n=3": (30, 12, "x^3 - 9*x^2 + 20*x", False, False, 2),
    "coordinate, d=3": (8, 0, "x^3 - 3*x^2 + 3*x - 1", True, True, 3),
    "x, y, x+y-1": (7, 1, "x^2 - 3*x + 3", False, True, 2),
    "Figure 1 data": (22, 0, "x^3 - 5*x^2 + 10*x - 6", True, True, 3),
}


def _ours(A):
    chi = A.characteristic_polynomial()
    return (A.n_regions(), A.n_bounded_regions(), chi, A.is_central, A.is_essential, A.rank)


def _same_poly(chi, text):
    t = sympy.Symbol("t")
    return sympy.expand(chi.as_expr() - sympy.sympify(text.replace("^", "**"), {"x": t})) == 0


@pytest.mark.parametrize("name", sorted(OURS))
def test_table_numbers_match_recorded_sage(name):
    A = OURS[name]()
    regions, bounded, chi, central, essential, rank = _ours(A)
    s = SAGE[name]
    assert (regions, bounded, central, essential, rank) == (s[0], s[1], s[3], s[4], s[5])
    assert isinstance(chi, sympy.Poly) and _same_poly(chi, s[2])
    w = A.whitney_numbers()                 # first kind = the coefficients of chi
    assert w == [int(c) for c in chi.all_coeffs()][: len(w)]
    assert len(A.regions()) == regions      # regions() lists what n_regions() counts


def test_members_are_one_consistent_kind():
    A = OURS["x, y, x+y-1"]()
    for name in ("dim", "n_hyperplanes", "rank", "is_central", "is_essential", "is_exact"):
        assert isinstance(getattr(type(A), name), property), name
        with pytest.raises(AttributeError):
            setattr(A, name, 0)
    for name in ("n_regions", "n_bounded_regions", "regions", "characteristic_polynomial",
                 "whitney_numbers", "poincare_polynomial", "plot"):
        assert callable(getattr(A, name)), name


def test_docs_table_shows_these_numbers():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "sage.md").read_text(encoding="utf-8")
    for name, (r, b, *_rest) in SAGE.items():
        assert f"| {r} | {b} |" in text, name


@pytest.mark.sage
@pytest.mark.parametrize("name", sorted(OURS))
def test_table_numbers_match_live_sage(name):
    pytest.importorskip("sage.all__sagemath_polyhedra")
    from sage.geometry.hyperplane_arrangement.arrangement import HyperplaneArrangements
    from sage.rings.rational_field import QQ

    A = OURS[name]()
    H = HyperplaneArrangements(QQ, tuple(f"w{k}" for k in range(A.dim)))
    rows = [[-QQ(b)] + [QQ(v) for v in a] for a, b in zip(A.normals.tolist(), A.offsets.tolist())]
    rows = list({tuple(r) for r in rows})
    S = H([list(r) for r in rows])
    regions, bounded, chi, central, essential, rank = _ours(A)
    assert (regions, bounded, central, essential, rank) == (
        S.n_regions(), S.n_bounded_regions(), S.is_central(), S.is_essential(), S.rank())
    assert _same_poly(chi, str(S.characteristic_polynomial()).replace(
        str(S.characteristic_polynomial().parent().gen()), "x"))
