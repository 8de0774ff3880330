"""The entry point :func:`relu.solve_cgl`."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from .._checks import check_choice

if TYPE_CHECKING:
    from typing import Any

    from numpy.typing import ArrayLike

    from .result import CGLResult

__all__ = ["solve_cgl", "AUTO_DIRECT_ROWS"]

#: ``method="auto"`` with ``patterns="exact"`` solves the full program directly while
#: it has at most this many chamber-constraint rows (``2 P n``), else by column
#: generation.
AUTO_DIRECT_ROWS = 40_000

_METHODS = ("auto", "clarabel", "cvxpy", "column_generation")


def solve_cgl(X: ArrayLike, y: ArrayLike, lam: float, patterns: str | int | ArrayLike = "exact", *,
              loss: str = "mse", bias: bool = True, scaling: str = "paper", method: str = "auto",
              rng: int | np.random.Generator | None = None, tol: float | None = None,
              max_chambers: int | None = None, progress: bool = False, certify_global: bool = False,
              **kwargs: Any) -> CGLResult:
    r"""Train a two-layer ReLU network with weight decay *globally*, via its convex program.

    Solves the constrained group lasso of Mishkin & Pilanci (2023) (after Pilanci &
    Ergen 2020) over activation patterns ``D_j``:

    .. math::

        \min_{u, h}\; L\Big(\sum_j D_j X_b (u_j - h_j), y\Big)
        + \lambda \sum_j (\|u_j\|_2 + \|h_j\|_2)
        \quad\text{s.t.}\quad (2D_j - I) X_b u_j \ge 0,\; (2D_j - I) X_b h_j \ge 0,

    with ``L = 1/2 ||z - y||^2`` (``loss="mse"``) or ``sum_i log(1 + e^{z_i}) - y_i z_i``
    (``loss="logistic"``, labels 0/1).  With all chambers as patterns its optimum is
    the optimal weight-decayed objective ``L(f(X), y) + (lam/2) sum_k (|theta^1_k|^2 +
    (theta^2_k)^2)`` over ReLU networks ``f(x) = sum_k theta^2_k (theta^1_k . x_bar)_+`` of
    any width ``>= m*`` (no output bias), and :meth:`CGLResult.network` returns an
    optimal network.

    **How the bias enters.**  ``X`` is given *without* a bias column.  With
    ``bias=True`` the design is ``Xb = [X, 1]`` (homogenised points ``x_bar = (x, 1)``),
    the hidden units have a bias (last entry of each ``theta^1_k``, penalised like the
    other weights) and the patterns are the chambers of
    ``zonotope.Arrangement.from_points(X, homogenize=True)``; with ``bias=False`` the
    design is ``X`` itself and the patterns come from ``homogenize=False``.

    **Scaling.**  ``scaling="paper"`` (default): the program above, ``L + lam R``.
    ``scaling="mean"``: pyscnn's ``L / n + lam R`` (``1/(2n) ||.||^2`` for the squared
    loss), i.e. ``lam_paper = n lam_mean`` and ``p*_mean = p*_paper / n``.  ``lam`` is
    read in the given scaling; :attr:`CGLResult.objective` is always in paper scaling,
    :attr:`CGLResult.objective_mean` in pyscnn's.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
    y : array_like, shape (n_samples,)
    lam : float
        Regularisation ``lambda > 0`` in the given ``scaling``.
    patterns : "exact", int or array_like
        ``"exact"``: every chamber of the data arrangement (exact enumeration,
        :func:`relu.convex.exact_patterns`); an int: that many Gaussian gates (pyscnn's
        sampler, :func:`relu.convex.sampled_patterns`, seeded by ``rng``); an array of
        shape ``(n_patterns, n_samples)``: these 0/1 patterns.
    loss : {"mse", "logistic"}
    bias : bool
    scaling : {"paper", "mean"}
    method : {"auto", "clarabel", "cvxpy", "column_generation"}
        ``"clarabel"``: the conic program built directly and solved by Clarabel;
        ``"cvxpy"``: the reference (cvxpy + Clarabel); ``"column_generation"``
        (``patterns="exact"`` only): working set + pricing over all chambers,
        :func:`relu.convex.column_generation`.  ``"auto"``: ``"clarabel"`` for sampled
        or given patterns and for small exact programs (at most
        :data:`AUTO_DIRECT_ROWS` chamber rows), else column generation.
    rng : int, numpy.random.Generator or None
        Seed of the sampled gates.
    tol : float, optional
        Relative tolerance of the certificate (default ``1e-6``).
    max_chambers : int, optional
        Refuse exact enumerations whose a-priori bound exceeds this.
    progress : bool
        Progress bar (column generation).
    certify_global : bool
        Also run the global certificate over all chambers (for sampled or given
        patterns; exact solves are global already).
    **kwargs
        Passed to :func:`relu.convex.column_generation` (``n_add``, ``max_rounds``,
        ``block_size``, ...).

    Returns
    -------
    CGLResult
        ``.objective`` (paper scaling), ``.blocks`` / ``.U`` / ``.H``, ``.fit``,
        ``.correlations`` (``v_b``), ``.multipliers`` (cone duals ``rho_b``),
        ``.certificate`` (always; decides acceptance), ``.global_certificate`` (column
        generation or ``certify_global=True``), ``.network()``.

    Raises
    ------
    SolverFailedError
        When the solver's answer fails its certificate.
    ValidationError
        For bad input.

    References
    ----------
    A. Mishkin and M. Pilanci, "Optimal sets and solution paths of ReLU networks",
    ICML 2023, arXiv:2306.00119.  M. Pilanci and T. Ergen, "Neural networks are convex
    regularizers", ICML 2020, arXiv:2002.10553.

    Examples
    --------
    >>> import relu
    >>> X, y = [[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0]
    >>> r = relu.solve_cgl(X, y, 0.1)
    >>> round(r.objective, 6), r.certificate.accepted
    (0.271053, True)
    >>> net = r.network()                                # theta1 = w/sqrt|w|, theta2 = +-sqrt|w|
    >>> abs(net.objective(X, y, 0.1) - r.objective) < 1e-9
    True
    >>> rm = relu.solve_cgl(X, y, 0.1 / 3, scaling="mean")   # pyscnn's scaling: same program
    >>> abs(rm.objective_mean - r.objective / 3) < 1e-9
    True
    >>> np.round(relu.solve_cgl([[1.0]], [2.0], 1.0, bias=False).network().W, 8).tolist()
    [[1.0]]
    """
    from ..exceptions import SolverFailedError
    from .certificate import certify_global as _certify_global
    from .program import CGLProgram, _arrangement
    from .result import build_result
    from .solvers import solve_program

    t0 = time.perf_counter()
    func = "solve_cgl"
    method = check_choice(method, _METHODS, func, "method")
    exact = isinstance(patterns, str) and patterns == "exact"
    if method == "column_generation" and not exact:
        from .._checks import fail

        fail("method", func, "'auto', 'clarabel' or 'cvxpy' for sampled or given patterns "
             "(column generation prices all chambers)", repr(method))
    if exact and method in ("auto", "column_generation"):
        from zonotope import estimate_chambers

        from .._checks import check_data

        Xv, Xf = check_data(X, func)
        arr, _ = _arrangement(Xv, bool(bias) if isinstance(bias, (bool, np.bool_)) else True)
        if method == "column_generation" or 2 * estimate_chambers(arr) * Xf.shape[0] > AUTO_DIRECT_ROWS:
            from .column_generation import column_generation

            res = column_generation(X, y, lam, loss=loss, bias=bias, scaling=scaling, tol=tol,
                                    progress=progress, max_chambers=max_chambers, rng=rng, **kwargs)
            return res
        method = "clarabel"
    if method == "auto":
        method = "clarabel"
    prog = CGLProgram.build(X, y, lam, patterns, loss=loss, bias=bias, scaling=scaling, rng=rng,
                            max_chambers=max_chambers, func=func)
    blocks, sinfo = solve_program(prog, method)
    res = build_result(prog, blocks, method=method, seconds=0.0, solver_info=sinfo,
                       scaling=scaling, tol=tol)
    if not res.certificate.accepted:
        raise SolverFailedError(f"{method} on {prog.n_blocks} blocks: the answer failed its "
                                f"certificate ({res.certificate}); solver status "
                                f"{sinfo.get('status')!r}")
    from dataclasses import replace

    cert = res.certificate
    if exact:
        cert = replace(cert, scope="all chambers")
    g = None
    if certify_global and not exact:
        g = _certify_global(res, tol=res.certificate.tol, progress=progress)
    return replace(res, certificate=cert, global_certificate=g, seconds=time.perf_counter() - t0,
                   info={"exact": exact, **res.info})
