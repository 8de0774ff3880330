r"""Set cover -> training one bias-free ReLU: two reductions and a perturbation that breaks one.

The toolkit's own constructions (the paper's Appendix E.2/E.3 were not available; the
proofs are in ``docs/hardness.md``).  A *set system* is a universe
``{0, ..., n_elements - 1}`` and a sequence of ``s`` sets; a *cover* is a choice of
sets whose union is the universe; ``OPT`` is the size of a smallest cover.

**The reduction** (:func:`set_cover_reduction`, after the kind of Goel et al. 2020).
Data in ``R^s``, one coordinate per set, for the bias-free unit
``f(x) = max(0, w . x)`` (second layer ``(1, 0)``) and the mean squared error:

* a *set point* ``e_i`` with label 1 for every set ``i``;
* an *element point* ``c p_j`` with label 0 for every element ``j``, where
  ``p_j = sum_{i : j in S_i} e_i`` and ``c = ceil(sqrt(2 s + 1))``.

With ``gamma = c^2 / (c^2 + 1)`` and ``N = s + n_elements``,

.. math:: \gamma \cdot \mathrm{OPT} \le N \cdot L^* \le \mathrm{OPT},

so the threshold ``theta(k) = (k + gamma (k + 1)) / (2 N)`` separates "a cover of size
``<= k`` exists" (``L* <= k / N``) from "it does not" (``L* >= gamma (k + 1) / N``) with
the gap ``(gamma (k + 1) - k) / N >= 1 / (2 N)``.

**Not in general position.**  ``c p_j`` is a positive combination of the set points of
the sets containing ``j``: whenever an element misses a set (or two elements lie in the
same sets) some ``s`` of the points are linearly dependent, so the central arrangement
of the bias-free unit is not generic (:func:`zonotope.linear_dependency_witness`).

**The perturbation that breaks it** (:func:`breaking_perturbation`).  Moving every
element point by ``c eps e_0`` (``eps > 0`` arbitrarily small) lets the single set 0
"cover" every element: ``gamma <= N L*(D_eps) <= 1`` for *every* set system, so the
thresholded loss answers "yes" for every ``k >= 1`` whatever ``OPT`` is.  The optimal
activation pattern of ``D_eps`` is not a chamber of ``D``: the second discontinuity
mechanism of Matena & Raffel (2022, Section 4.1).

**The general-position reduction** (:func:`general_position_reduction`, Theorem 4.2).
The same data moved by ``-eta V`` with ``V`` on the moment curve
(``V_ri = t_r^{i+1}``, distinct positive nodes: set nodes below ``1 / (c s)``, element
nodes in ``[1, 2)``).  Every minor of the data is a non-zero polynomial in ``eta``, so
all but finitely many ``eta`` give data in general position (linear *and* affine);
the nodes make the off-support coordinates of the element points, written in the
basis of the set points, *negative*, the opposite sign of the breaking perturbation,
so the bracket ``gamma_eta OPT <= N L* <= OPT`` survives with a slightly smaller
``gamma_eta``, computed exactly from the data.

References
----------
S. Goel, A. Klivans, P. Manurangsi, D. Reichman, "Tight hardness results for training
depth-2 ReLU networks", ITCS 2021 (arXiv:2011.13550).
M. Matena, C. Raffel, "A combinatorial perspective on the optimization of shallow ReLU
networks", NeurIPS 2022 (arXiv:2210.00176), Section 4.1, Theorem 4.2.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from ._checks import fail
from .exceptions import TooLargeError
from .set_cover import (
    _check_int,
    _check_sets,
    _covers,
    min_set_cover,
    set_systems,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from numbers import Real

__all__ = [
    "min_set_cover",
    "set_systems",
    "SetCoverReduction",
    "set_cover_reduction",
    "general_position_reduction",
    "PerturbedReduction",
    "breaking_perturbation",
]


# ----------------------------------------------------------------------------- input


def _as_fraction(x, func, param):
    if isinstance(x, bool):
        fail(param, func, "a number", repr(x))
    if isinstance(x, Fraction):
        return x
    if isinstance(x, numbers.Integral):
        return Fraction(int(x))
    if isinstance(x, numbers.Real) and math.isfinite(float(x)):
        return Fraction(float(x))  # the exact binary value
    fail(param, func, "a finite number (int, Fraction or float)", repr(x))


# ----------------------------------------------------------------------------- set cover


# ----------------------------------------------------------------------------- exact algebra
def _solve_exact(A, B):
    """Solve ``A Z = B`` exactly (``A`` square, invertible; lists of Fractions)."""
    n = len(A)
    M = [list(A[r]) + list(B[r]) for r in range(n)]
    for col in range(n):
        piv = next(r for r in range(col, n) if M[r][col] != 0)
        M[col], M[piv] = M[piv], M[col]
        inv = 1 / M[col][col]
        M[col] = [v * inv for v in M[col]]
        for r in range(n):
            if r != col and M[r][col] != 0:
                f = M[r][col]
                M[r] = [a - f * b for a, b in zip(M[r], M[col])]
    return [row[n:] for row in M]


def _exact_mean_loss(X, y, w):
    total = Fraction(0)
    for row, t in zip(X, y):
        z = sum((a * b for a, b in zip(row, w)), Fraction(0))
        total += (max(z, Fraction(0)) - t) ** 2
    return total / len(X)


def _num(v):
    return v.numerator if isinstance(v, Fraction) and v.denominator == 1 else v


def _frozen(a):
    a = np.array(a, dtype=object)
    if a.size:
        a = np.vectorize(_num, otypes=[object])(a)
    a.flags.writeable = False
    return a


def _ceil_sqrt(x):
    r = math.isqrt(x)
    return r if r * r == x else r + 1


# ----------------------------------------------------------------------------- reductions
@dataclass(frozen=True, eq=False)
class SetCoverReduction:
    """A set-cover instance encoded as data for one bias-free ReLU, with its certificate.

    The unit is ``f(x) = max(0, w . x)`` (second layer ``(1, 0)``, no hidden bias), the
    loss the mean squared error ``(1/N) sum_i (f(x_i) - y_i)^2``.  All numbers are exact.

    Attributes
    ----------
    X : ndarray of object (Fraction), shape (N, s)
        Rows ``0..s-1`` are the set points, rows ``s..`` the element points.
    y : ndarray of object (Fraction), shape (N,)
        1 on set points, 0 on element points.
    k : int
        The cover size asked about (the encoded question is "a cover of size <= k?").
    threshold : Fraction
        ``theta``: answer "yes" iff ``L* <= threshold``.
    upper : Fraction
        ``k' / N`` with ``k' = min(k, s)``: every yes-instance has ``L* <= upper``.
    lower : Fraction
        ``gamma (k' + 1) / N``: every no-instance has ``L* >= lower``.
    gamma : Fraction
        ``N L* >= gamma OPT`` for the encoded set system (and ``N L* <= OPT``).
    kind : {"plain", "general_position"}
    eta : Fraction
        Size of the general-position perturbation (0 for ``"plain"``).
    n_elements : int
    sets : tuple of frozenset
        The set system actually encoded (see ``note``).
    scale : int
        ``c``, the element points' scale.
    coordinates : ndarray of object (Fraction), shape (n_elements, s)
        ``beta``: the element points written in the basis of the set points.
    support_min : Fraction
        ``c'``: the smallest ``beta_ji`` with ``j in S_i`` (``c`` for ``"plain"``).
    off_support_max : Fraction
        ``nu``: the largest ``|beta_ji|`` with ``j not in S_i`` (all such are ``<= 0``).
    note : str or None
        Set when the input was replaced by a canonical equivalent instance (an element
        in no set: the canonical no-instance; no sets and no elements: the canonical
        yes-instance).

    Examples
    --------
    >>> r = set_cover_reduction(3, [{0, 1}, {1, 2}, {2}], 1)
    >>> r.X.tolist()
    [[1, 0, 0], [0, 1, 0], [0, 0, 1], [3, 0, 0], [3, 3, 0], [0, 3, 3]]
    >>> r.threshold, r.upper, r.lower, r.gap
    (Fraction(7, 30), Fraction(1, 6), Fraction(3, 10), Fraction(2, 15))
    >>> r.decide(r.loss(r.cover_weights([0, 2])))   # a cover of size 2 is not <= 1
    False
    >>> r.X_float()[3].tolist(), r.y_float().tolist()  # nearest floats, for float solvers
    ([3.0, 0.0, 0.0], [1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    """

    X: np.ndarray
    y: np.ndarray
    k: int
    threshold: Fraction
    upper: Fraction
    lower: Fraction
    gamma: Fraction
    kind: str
    eta: Fraction
    n_elements: int
    sets: tuple
    scale: int
    coordinates: np.ndarray = field(repr=False)
    support_min: Fraction = field(repr=False)
    off_support_max: Fraction = field(repr=False)
    note: str | None = None

    @property
    def n_samples(self) -> int:
        """``N = s + n_elements``."""
        return int(self.X.shape[0])

    @property
    def n_sets(self) -> int:
        """``s``, the dimension of the data."""
        return len(self.sets)

    @property
    def second_layer(self) -> tuple[int, int]:
        """``(1, 0)``: one unit with output weight 1, output bias 0."""
        return (1, 0)

    @property
    def gap(self) -> Fraction:
        """``lower - upper > 0``: the margin the threshold sits in."""
        return self.lower - self.upper

    @property
    def set_rows(self) -> tuple[int, ...]:
        """Indices of the set points."""
        return tuple(range(self.n_sets))

    @property
    def element_rows(self) -> tuple[int, ...]:
        """Indices of the element points."""
        return tuple(range(self.n_sets, self.n_samples))

    def X_float(self) -> np.ndarray:
        """The data as ``float64`` (nearest floats)."""
        return np.array([[float(v) for v in r] for r in self.X], dtype=np.float64).reshape(self.X.shape)

    def y_float(self) -> np.ndarray:
        """The labels as ``float64``."""
        return np.array([float(v) for v in self.y], dtype=np.float64)

    def decide(self, loss: Fraction | float) -> bool:
        """The reduction's answer for an optimal loss: ``loss <= threshold``.

        Examples
        --------
        >>> r = set_cover_reduction(1, [{0}], 0)
        >>> r.decide(0), r.decide(Fraction(1, 2))
        (True, False)
        """
        if isinstance(loss, (Fraction, numbers.Integral)) and not isinstance(loss, bool):
            return bool(loss <= self.threshold)
        return bool(float(loss) <= float(self.threshold))

    def loss_bounds(self, opt: int) -> tuple[Fraction, Fraction]:
        """``(gamma opt / N, opt / N)``: the proven bracket of ``L*`` when ``OPT = opt``.

        Examples
        --------
        >>> set_cover_reduction(1, [{0}], 1).loss_bounds(1)
        (Fraction(2, 5), Fraction(1, 2))
        """
        opt = _check_int(opt, "SetCoverReduction.loss_bounds", "opt")
        return (self.gamma * opt / self.n_samples, Fraction(opt, self.n_samples))

    def loss(self, w: Sequence[Fraction | int | float]) -> Fraction | float:
        """Mean loss of the weights ``w``: exact (Fraction) for exact ``w``, else float.

        Examples
        --------
        >>> set_cover_reduction(1, [{0}], 1).loss([1])   # the element point is active
        Fraction(2, 1)
        """
        w = list(w)
        if len(w) != self.n_sets:
            fail("w", "SetCoverReduction.loss", f"a vector of length {self.n_sets}", f"length {len(w)}")
        if all(isinstance(v, (Fraction, numbers.Integral)) and not isinstance(v, bool) for v in w):
            return _exact_mean_loss(self.X, self.y, [Fraction(v) for v in w])
        z = self.X_float() @ np.asarray(w, dtype=np.float64)
        return float(np.mean((np.maximum(z, 0.0) - self.y_float()) ** 2))

    def cover_weights(self, cover: Iterable[int]) -> list[Fraction]:
        """Exact weights with loss exactly ``len(cover) / N`` (the yes-direction proof).

        Set points of the cover are switched off (``w . e_i = -L``), the others fitted
        (``w . e_i = 1``); ``L`` is the smallest value switching off every element point.

        Parameters
        ----------
        cover : iterable of int
            Indices of sets covering the encoded universe.

        Returns
        -------
        list of Fraction, length s

        Raises
        ------
        ValidationError
            If ``cover`` is not a cover of the encoded set system.

        Examples
        --------
        >>> r = set_cover_reduction(2, [{0}, {0, 1}], 1)
        >>> w = r.cover_weights([1]); [str(v) for v in w], r.loss(w)
        (['1', '-1'], Fraction(1, 4))
        """
        func = "SetCoverReduction.cover_weights"
        s = self.n_sets
        C = set()
        for i in cover:
            if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < s:
                fail("cover", func, f"set indices in range({s})", repr(i))
            C.add(int(i))
        if not _covers(self.n_elements, self.sets, C):
            fail("cover", func, "a cover of the encoded universe", sorted(C))
        B = self.coordinates
        L = Fraction(0)
        for j in range(self.n_elements):
            pos = sum((B[j][i] for i in range(s) if i not in C), Fraction(0))
            neg = sum((B[j][i] for i in C), Fraction(0))
            if pos > 0:
                L = max(L, pos / neg)  # neg > 0 by the certificate (support_min > (s-1) nu)
        u = [(-L if i in C else Fraction(1)) for i in range(s)]
        A = [[Fraction(v) for v in self.X[i]] for i in range(s)]
        # u = A w  ->  w = A^{-1} u
        sol = _solve_exact(A, [[v] for v in u])
        return [r[0] for r in sol]

    def __repr__(self):
        return (f"<SetCoverReduction {self.kind}: {self.n_elements} elements, {self.n_sets} sets, "
                f"k={self.k}; "
                f"N={self.n_samples}, threshold={self.threshold} (gap {self.gap})>")


def _canonical(n, sets, k):
    """Replace the degenerate inputs by equivalent canonical instances."""
    if n > 0 and (not sets or set().union(*sets) != set(range(n))):
        return 1, (frozenset({0}),), 0, ("an element lies in no set: no cover exists; encoded as the "
                                           "canonical no-instance (1 element, one set {0}, k = 0)")
    if not sets:
        return 0, (frozenset(),), k, "no sets and no elements: encoded with one empty set"
    return n, sets, k, None


def _base_rows(n, sets, c):
    s = len(sets)
    X = [[Fraction(int(i == l)) for l in range(s)] for i in range(s)]
    X += [[Fraction(c if j in sets[l] else 0) for l in range(s)] for j in range(n)]
    return X


def _certificate(X, n, sets, c):
    """Exact constants ``(beta, c', nu, gamma)`` of the lower-bound proof, or None."""
    s = len(sets)
    A = [X[i] for i in range(s)]
    if n:
        # beta_j solves A^T beta_j = b_j  (b_j = sum_i beta_ji a_i)
        AT = [[A[r][q] for r in range(s)] for q in range(s)]
        sol = _solve_exact(AT, [[X[s + j][q] for j in range(n)] for q in range(s)])
        beta = [[sol[i][j] for i in range(s)] for j in range(n)]
    else:
        beta = []
    on = [beta[j][i] for j in range(n) for i in range(s) if j in sets[i]]
    off = [beta[j][i] for j in range(n) for i in range(s) if j not in sets[i]]
    if any(v > 0 for v in off):
        return None
    cmin = min(on) if on else Fraction(c)
    nu = max((-v for v in off), default=Fraction(0))
    if cmin <= (s - 1) * nu:
        return None
    R = 1 + _ceil_sqrt(s)             # (R - 1)^2 >= s
    rho = nu * (s - 1) * R
    if rho >= cmin:
        return None
    gamma = (1 - rho / cmin) ** 2 * cmin ** 2 / (1 + cmin ** 2)
    return beta, cmin, nu, gamma


def _make(n, sets, k, kind, eta, X, c, note, cert):
    beta, cmin, nu, gamma = cert
    N = len(X)
    s = len(sets)
    kk = min(k, s)
    upper = Fraction(kk, N)
    lower = gamma * (kk + 1) / N
    theta = (upper + lower) / 2
    return SetCoverReduction(_frozen(X), _frozen([Fraction(1)] * s + [Fraction(0)] * n), k, theta, upper,
                             lower, gamma, kind, eta, n, sets, c, _frozen(beta if beta else np.zeros((0, s))),
                             cmin, nu, note)


def _scale(s):
    return math.isqrt(2 * s) + 1     # smallest c with c^2 >= 2 s + 1


def set_cover_reduction(n_elements: int, sets: Sequence[Iterable[int]], k: int) -> SetCoverReduction:
    """Encode "is there a cover of size ``<= k``?" as training one bias-free ReLU.

    Parameters
    ----------
    n_elements : int
        Universe ``{0, ..., n_elements - 1}``.
    sets : sequence of iterables of int
    k : int

    Returns
    -------
    SetCoverReduction
        ``L*(X, y) <= threshold`` iff a cover of size ``<= k`` exists, where ``L*`` is
        the minimum mean squared error of ``x -> max(0, w . x)`` over ``w in R^s``.

    Raises
    ------
    ValidationError
        Bad input.

    See Also
    --------
    general_position_reduction, breaking_perturbation, min_set_cover

    Notes
    -----
    Proof (``docs/hardness.md``): a cover ``C`` gives ``w_i = -L`` on ``C`` and 1
    elsewhere, loss ``|C| / N``.  Conversely, for any ``w`` let ``C = {i : w_i <= 0}``
    (each costs 1) and ``S'`` the sets of the elements ``C`` misses; those elements
    pay ``c^2 (sum_{i ni j} w_i)^2 >= c^2 sum w_i^2``, so each ``i in S'`` costs at
    least ``min_t (t - 1)^2 + c^2 t^2 = gamma``; ``C + S'`` is a cover.  Linear time
    and size; the data are not in general position (see the module docstring).

    Examples
    --------
    >>> r = set_cover_reduction(2, [{0}, {1}], 1)     # OPT = 2 > 1: a no-instance
    >>> r.X.tolist(), r.y.tolist()
    ([[1, 0], [0, 1], [3, 0], [0, 3]], [1, 1, 0, 0])
    >>> r.lower * r.n_samples, r.gamma                  # N L* >= gamma * 2 > theta N
    (Fraction(9, 5), Fraction(9, 10))
    >>> set_cover_reduction(1, [set()], 0).note[:26]   # no cover at all
    'an element lies in no set:'
    """
    func = "set_cover_reduction"
    n, S = _check_sets(n_elements, sets, func)
    k = _check_int(k, func, "k")
    n, S, k, note = _canonical(n, S, k)
    c = _scale(len(S))
    X = _base_rows(n, S, c)
    return _make(n, S, k, "plain", Fraction(0), X, c, note, _certificate(X, n, S, c))


def _gp_rows(n, sets, c, eta):
    s = len(sets)
    X = _base_rows(n, sets, c)
    nodes = ([Fraction(l + 1, 2 * c * s * s) for l in range(s)]
             + [1 + Fraction(j, max(n, 1)) for j in range(n)])
    for r, t in enumerate(nodes):
        p = t
        for i in range(s):
            X[r][i] -= eta * p
            p *= t
    return X


def _certified_eta(n, s, c):
    """An ``eta`` for which every minor is provably non-zero (a root bound; tiny)."""
    q = 2 * c * s * s
    Q = (q * max(n, 1)) ** s        # Q * V is an integer matrix
    H = (2 * q * max(n, 1)) ** s    # entries of Q V are at most (2 q n)^s
    k = s + 1
    A = math.factorial(k) * (Q * c + H) ** k
    return Fraction(Q, 1 + A) / 2   # eta / Q < 1 / (1 + A)


def general_position_reduction(n_elements: int, sets: Sequence[Iterable[int]], k: int, *,
                               eta: Real | None = None, max_subsets: int = 1_000_000) -> SetCoverReduction:
    """The set-cover reduction moved into general position, still correct (Theorem 4.2).

    Parameters
    ----------
    n_elements : int
    sets : sequence of iterables of int
    k : int
    eta : Fraction, int, float or None
        Size of the perturbation ``-eta V`` (see the module docstring).  ``None``:
        start at ``1 / (8 c s 2^s)`` and halve until the exact certificate holds and
        the data are verified, exactly, to be in general position; when that check is
        beyond ``max_subsets``, use the root-bound value of ``eta`` for which general
        position is a theorem (a number with ``O(s^2 log(n s))`` bits).
    max_subsets : int or None
        Size limit of the exact general-position checks (``None``: no limit).

    Returns
    -------
    SetCoverReduction
        ``kind="general_position"``; ``L* <= threshold`` iff a cover of size ``<= k``
        exists; ``X`` is in general position both as vectors (every ``s`` of the
        points linearly independent: the bias-free unit's arrangement is generic) and
        as points (every ``s + 1`` affinely independent, the paper's definition).

    Raises
    ------
    ValidationError
        Bad input, or an explicit ``eta`` for which the certificate fails or the data
        are not in general position.

    Notes
    -----
    Genericity: every ``r x r`` minor of ``X`` (or of ``[X | 1]``) is a polynomial in
    ``eta`` whose top coefficient is ``+-`` a minor of the generalized Vandermonde
    matrix ``[t_r^e]`` (exponents ``1..s``, and ``0`` for the column of ones) at
    distinct positive nodes, hence non-zero; so only finitely many ``eta`` fail.
    Correctness: the proof of :func:`set_cover_reduction` goes through with
    ``c' = support_min``, an error term ``rho = nu (s - 1) (1 + ceil(sqrt s))`` from the
    negative off-support coordinates and ``gamma = (1 - rho / c')^2 c'^2 / (1 + c'^2)``
    (``docs/hardness.md``); the constants are computed exactly from the data and
    checked (``c' > (s - 1) nu``, ``gamma (s + 1) - s >= 1/4``).

    Examples
    --------
    >>> r = general_position_reduction(2, [{0}, {1}], 1)
    >>> r.eta, r.kind
    (Fraction(1, 192), 'general_position')
    >>> import zonotope
    >>> zonotope.is_in_general_position(r.X), zonotope.is_generic_configuration(r.X)
    (True, True)
    >>> bool(r.lower > r.upper), r.decide(r.loss(r.cover_weights([0, 1])))
    (True, False)
    """
    from zonotope import is_generic_configuration, is_in_general_position

    func = "general_position_reduction"
    n, S = _check_sets(n_elements, sets, func)
    k = _check_int(k, func, "k")
    n, S, k, note = _canonical(n, S, k)
    s = len(S)
    c = _scale(s)

    def ok_constants(cert):
        return cert is not None and cert[3] * (s + 1) - s >= Fraction(1, 4)

    def generic(X):
        arr = np.array(X, dtype=object)
        return bool(is_in_general_position(arr, max_subsets=max_subsets)
                    and is_generic_configuration(arr, max_subsets=max_subsets))

    if eta is not None:
        e = _as_fraction(eta, func, "eta")
        if e <= 0:
            fail("eta", func, "a positive number", repr(eta))
        X = _gp_rows(n, S, c, e)
        cert = _certificate(X, n, S, c)
        if not ok_constants(cert):
            fail("eta", func, "small enough for the correctness certificate (sign pattern and gamma)",
                 repr(eta))
        if not generic(X):
            fail("eta", func, "a value for which the data are in general position", repr(eta))
        return _make(n, S, k, "general_position", e, X, c, note, cert)
    e = Fraction(1, 8 * c * s * 2 ** s)
    for _ in range(200):
        X = _gp_rows(n, S, c, e)
        cert = _certificate(X, n, S, c)
        if ok_constants(cert):
            try:
                if generic(X):
                    return _make(n, S, k, "general_position", e, X, c, note, cert)
            except TooLargeError:
                e = min(e, _certified_eta(n, s, c))
                while True:  # general position is a theorem below the root bound
                    X = _gp_rows(n, S, c, e)
                    cert = _certificate(X, n, S, c)
                    if ok_constants(cert):
                        return _make(n, S, k, "general_position", e, X, c, note, cert)
                    e /= 2
        e /= 2
    raise AssertionError("unreachable: the certificate holds for all small eta")  # pragma: no cover


# ----------------------------------------------------------------------------- breaking it
@dataclass(frozen=True, eq=False)
class PerturbedReduction:
    """The data of a plain reduction after the breaking perturbation.

    Attributes
    ----------
    X : ndarray of object (Fraction), shape (N, s)
        Element points moved to ``c (p_j + eps e_{set_index})``; set points unchanged.
    y : ndarray of object
    eps : Fraction
    set_index : int
        The set every element point is tilted towards.
    displacement : Fraction
        ``c eps``: the largest distance a point moved.
    upper : Fraction
        ``1 / N``: ``L*(X) <= upper`` for every set system (attained by ``weights``).
    lower : Fraction
        ``gamma / N`` (``n_elements >= 1``; 0 otherwise): ``L*(X) >= lower``.
    threshold : Fraction
        The original reduction's threshold; since ``lower > theta(0)`` and
        ``upper < theta(1)``, the thresholded answer is "yes" for every ``k >= 1`` and
        "no" for ``k = 0``, independently of the set system.
    weights : list of Fraction
        Exact weights with loss ``upper``.
    pattern : tuple of int
        Their activation pattern (0/1 per row); not a chamber of the unperturbed data
        when an element avoids ``set_index`` (a new vertex).
    reduction : SetCoverReduction
        The unperturbed reduction.

    Examples
    --------
    >>> r = set_cover_reduction(2, [{0}, {1}], 1)
    >>> p = breaking_perturbation(r, Fraction(1, 100))
    >>> p.X.tolist()
    [[1, 0], [0, 1], [Fraction(303, 100), 0], [Fraction(3, 100), 3]]
    >>> p.upper < r.threshold < r.lower, p.pattern
    (True, (0, 1, 0, 0))
    >>> p.X_float().tolist()
    [[1.0, 0.0], [0.0, 1.0], [3.03, 0.0], [0.03, 3.0]]
    """

    X: np.ndarray
    y: np.ndarray
    eps: Fraction
    set_index: int
    displacement: Fraction
    upper: Fraction
    lower: Fraction
    threshold: Fraction
    weights: list = field(repr=False)
    pattern: tuple = field(repr=False)
    reduction: SetCoverReduction = field(repr=False)

    def X_float(self) -> np.ndarray:
        """The data as ``float64``."""
        return np.array([[float(v) for v in r] for r in self.X], dtype=np.float64).reshape(self.X.shape)

    def decide(self, loss: Fraction | float) -> bool:
        """The (now meaningless) thresholded answer ``loss <= threshold``."""
        return self.reduction.decide(loss)


def breaking_perturbation(reduction: SetCoverReduction, eps: Real, *,
                          set_index: int = 0) -> PerturbedReduction:
    """Move every element point by ``c eps e_{set_index}``: the reduction stops working.

    Parameters
    ----------
    reduction : SetCoverReduction
        A ``"plain"`` reduction.
    eps : Fraction, int or float
        ``> 0``, arbitrarily small (floats are taken at their exact binary value).
    set_index : int, default 0

    Returns
    -------
    PerturbedReduction
        ``gamma / N <= L* <= 1 / N`` for every set system with an element, so the
        optimal loss no longer depends on ``OPT``.

    Raises
    ------
    ValidationError
        Not a plain reduction, ``eps <= 0``, bad ``set_index``.

    Notes
    -----
    With ``w = 1`` except ``w_{set_index} = -L``, ``L >= s / eps``, every element point
    has ``w . x < 0`` and only the set point of ``set_index`` is missed: loss ``1/N``.
    The lower bound is the plain reduction's argument with ``set_index`` added to every
    element's sets.  The unperturbed data have no chamber with this pattern when some
    element ``j`` avoids ``set_index`` (``p_j`` is a positive combination of active
    set points): the optimal vertex of ``D_eps`` does not exist for ``D``, and
    ``N L*`` jumps from ``>= gamma OPT`` to ``<= 1``.

    Examples
    --------
    >>> r = set_cover_reduction(3, [{0}, {1}, {2}], 2)     # OPT = 3 > 2
    >>> p = breaking_perturbation(r, 1e-9)
    >>> float(p.displacement) < 1e-8, r.loss(p.weights) > r.threshold, p.X.shape
    (True, True, (6, 3))
    """
    func = "breaking_perturbation"
    if not isinstance(reduction, SetCoverReduction) or reduction.kind != "plain":
        fail("reduction", func, "a plain SetCoverReduction (from set_cover_reduction)",
             type(reduction).__name__)
    e = _as_fraction(eps, func, "eps")
    if e <= 0:
        fail("eps", func, "a positive number", repr(eps))
    s, n = reduction.n_sets, reduction.n_elements
    i0 = _check_int(set_index, func, "set_index")
    if i0 >= s:
        fail("set_index", func, f"an int in range({s})", repr(set_index))
    c = reduction.scale
    X = [[Fraction(v) for v in row] for row in reduction.X]
    for j in range(n):
        X[s + j][i0] += c * e
    L = Fraction(0)
    for j in range(n):
        T = [i for i in range(s) if j in reduction.sets[i]]
        num = len(T) - (1 if i0 in T else 0)
        den = (1 if i0 in T else 0) + e
        L = max(L, Fraction(num) / den)
    w = [(-L if i == i0 else Fraction(1)) for i in range(s)]
    pattern = tuple(int(sum(a * b for a, b in zip(row, w)) > 0) for row in X)
    N = reduction.n_samples
    lower = reduction.gamma / N if n else Fraction(0)
    upper = Fraction(1, N)
    return PerturbedReduction(_frozen(X), reduction.y, e, i0, c * e, upper, lower, reduction.threshold, w,
                              pattern, reduction)
