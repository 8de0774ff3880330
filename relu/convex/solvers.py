r"""Solvers of the CGL on a given set of patterns.

* ``"clarabel"``: the conic program assembled directly (scipy sparse) and handed to
  Clarabel -- squared loss as a quadratic objective in the residual variables
  ``e = Z w - y``, the group norms as second-order cones ``(t_b, w_b)``, the chamber
  constraints as a non-negative cone, the logistic loss through two exponential cones
  per example (``log(1 + e^z) <= u`` iff ``e^{-u} + e^{z - u} <= 1``).
* ``"cvxpy"``: the reference, the same program written in cvxpy and solved by
  Clarabel.

Both return block weights ``(2P, p)``; the answer is accepted only by the
certificate of :mod:`relu.convex.certificate` (the solver's own status is reported,
not trusted).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import SolverFailedError

if TYPE_CHECKING:
    from typing import Any

    from .program import CGLProgram

__all__ = ["solve_program", "SOLVERS", "clarabel_size"]

#: Solver tolerances handed to Clarabel (gap and feasibility).
CLARABEL_TOL = 1e-9


def clarabel_size(prog: CGLProgram) -> tuple[int, int, int]:
    """``(n_variables, n_constraint_rows, n_nonzeros)`` of the direct Clarabel program.

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> clarabel_size(prog)
    (33, 63, 113)
    """
    B, p, n = prog.n_blocks, prog.p, prog.n_samples
    rownnz = np.count_nonzero(prog.design, axis=1)
    nl = int(np.count_nonzero(rownnz))
    extra = 0 if prog.loss == "mse" else 7 * n
    nvar = B * p + B + (1 if prog.loss == "mse" else 4) * n
    rows = n + B * nl + B * (p + 1) + extra
    znnz = 2 * int(np.sum(prog.patterns.astype(np.int64) @ rownnz))
    nnz = znnz + n + B * int(rownnz.sum()) + B * (p + 1) + (0 if prog.loss == "mse" else 9 * n)
    return nvar, rows, nnz


def _block_sparse(prog, keep_rows=None):
    """``Z`` (n x Bp) and ``G`` (chamber rows x Bp) as scipy CSR matrices, and the live rows.

    ``keep_rows`` (bool, ``(P, n)``): the chamber rows kept for each pattern (both of its
    blocks), e.g. only the walls of the chamber -- the same cone, far fewer rows.
    """
    import scipy.sparse as sp

    Xb = prog.design
    n, p = Xb.shape
    B = prog.n_blocks
    live = np.nonzero(np.linalg.norm(Xb, axis=1) > 0)[0]
    nl = live.size
    BP = prog.block_patterns
    s = prog.block_signs
    bb, ii = np.nonzero(BP)
    k = np.arange(p)
    rows = np.repeat(ii, p)
    cols = (bb[:, None] * p + k).ravel()
    vals = (s[bb, None] * Xb[ii]).ravel()
    Z = sp.csr_matrix((vals, (rows, cols)), shape=(n, B * p))
    Sg = 2.0 * BP[:, live].astype(np.float64) - 1.0            # (B, nl)
    gb = np.repeat(np.arange(B), nl)
    gi = np.tile(np.arange(nl), B)
    grow = np.repeat(gb * nl + gi, p)
    gcol = (gb[:, None] * p + k).ravel()
    gval = (Sg.ravel()[:, None] * Xb[live][gi]).ravel()
    G = sp.csr_matrix((gval, (grow, gcol)), shape=(B * nl, B * p))
    if keep_rows is not None:
        keep = np.vstack([keep_rows, keep_rows])[:, live].ravel()
        G = G[np.nonzero(keep)[0]]
    Z.eliminate_zeros()
    G.eliminate_zeros()
    return Z, G, nl


def _solve_clarabel(prog, tol=CLARABEL_TOL, max_iter=500, verbose=False, rows=None):
    import clarabel
    import scipy.sparse as sp

    n, p, B = prog.n_samples, prog.p, prog.n_blocks
    if rows is not None:
        rows = np.asarray(rows, dtype=bool)
        if rows.shape != (prog.n_patterns, n):
            from .._checks import fail

            fail("rows", "solve_program", f"a boolean array of shape {(prog.n_patterns, n)}",
                 f"shape {rows.shape}")
    Z, G, nl = _block_sparse(prog, rows)
    nw = B * p
    it = nw                       # t variables
    # SOC rows (t_b, w_b) interleaved: row (p+1) b is t_b, rows (p+1) b + 1 + k are w_b[k]
    soc_rows = np.r_[(p + 1) * np.arange(B), ((p + 1) * np.arange(B)[:, None] + 1 + np.arange(p)).ravel()]
    soc_cols = np.r_[it + np.arange(B), np.arange(nw)]
    if prog.loss == "mse":
        ie = nw + B
        nv = ie + n
        P = sp.csc_matrix((np.ones(n), (ie + np.arange(n), ie + np.arange(n))), shape=(nv, nv))
        q = np.zeros(nv)
        q[it:it + B] = prog.lam
        A0 = sp.hstack([-Z, sp.csr_matrix((n, B)), sp.identity(n, format="csr")])
        b0 = -np.asarray(prog.y, dtype=np.float64)
        Ag = sp.hstack([-G, sp.csr_matrix((G.shape[0], B + n))])
        As = sp.csr_matrix((-np.ones(B * (p + 1)), (soc_rows, soc_cols)), shape=(B * (p + 1), nv))
        A = sp.vstack([A0, Ag, As]).tocsc()
        b = np.r_[b0, np.zeros(G.shape[0]), np.zeros(B * (p + 1))]
        cones = [clarabel.ZeroConeT(n), clarabel.NonnegativeConeT(G.shape[0])] + \
            [clarabel.SecondOrderConeT(p + 1)] * B
    else:
        iz, iu, ia, ic = nw + B, nw + B + n, nw + B + 2 * n, nw + B + 3 * n
        nv = nw + B + 4 * n
        P = sp.csc_matrix((nv, nv))
        q = np.zeros(nv)
        q[it:it + B] = prog.lam
        q[iu:iu + n] = 1.0
        q[iz:iz + n] = -np.asarray(prog.y, dtype=np.float64)
        ar = np.arange(n)
        A0 = sp.hstack([-Z, sp.csr_matrix((n, B)), sp.identity(n, format="csr"),
                        sp.csr_matrix((n, 3 * n))])
        An = sp.csr_matrix((np.ones(2 * n), (np.r_[ar, ar], np.r_[ia + ar, ic + ar])), shape=(n, nv))
        Ag = sp.hstack([-G, sp.csr_matrix((G.shape[0], B + 4 * n))])
        As = sp.csr_matrix((-np.ones(B * (p + 1)), (soc_rows, soc_cols)), shape=(B * (p + 1), nv))
        r0 = 6 * ar
        rows = np.r_[r0, r0 + 2, r0 + 3, r0 + 3, r0 + 5]
        cols = np.r_[iu + ar, ia + ar, iz + ar, iu + ar, ic + ar]
        vals = np.r_[np.ones(n), -np.ones(n), -np.ones(n), np.ones(n), -np.ones(n)]
        Ae = sp.csr_matrix((vals, (rows, cols)), shape=(6 * n, nv))
        be = np.zeros(6 * n)
        be[r0 + 1] = 1.0
        be[r0 + 4] = 1.0
        A = sp.vstack([A0, An, Ag, As, Ae]).tocsc()
        b = np.r_[np.zeros(n), np.ones(n), np.zeros(G.shape[0]), np.zeros(B * (p + 1)), be]
        cones = [clarabel.ZeroConeT(n), clarabel.NonnegativeConeT(n + G.shape[0])] + \
            [clarabel.SecondOrderConeT(p + 1)] * B + [clarabel.ExponentialConeT()] * (2 * n)
    A.eliminate_zeros()
    st = clarabel.DefaultSettings()
    st.verbose = bool(verbose)
    st.tol_gap_abs = tol
    st.tol_gap_rel = tol
    st.tol_feas = tol
    st.max_iter = int(max_iter)
    solver = clarabel.DefaultSolver(P, q, A, b, cones, st)
    sol = solver.solve()
    status = str(sol.status)
    x = np.asarray(sol.x, dtype=np.float64)
    if x.size != nv or not np.all(np.isfinite(x)):
        raise SolverFailedError(f"Clarabel returned no usable point (status {status})")
    z = np.asarray(sol.z, dtype=np.float64)
    # the multiplier of the equality rows e - Z w = -y (z = Z w for the logistic loss)
    # is the dual point r = -dL/dz of the program (KKT: P x + q + A^T z = 0)
    return x[:nw].reshape(B, p), {"status": status, "iterations": int(sol.iterations),
                                  "solver_objective": float(sol.obj_val),
                                  "dual_point": z[:n].copy()}


def _solve_cvxpy(prog, solver="CLARABEL", verbose=False):
    import cvxpy as cp

    P, p, n = prog.n_patterns, prog.p, prog.n_samples
    Xb = prog.design
    D = prog.patterns.astype(np.float64)                        # (P, n)
    S = 2.0 * D - 1.0
    U = cp.Variable((P, p))
    H = cp.Variable((P, p))
    XU = Xb @ U.T                                               # (n, P)
    XH = Xb @ H.T
    z = cp.Variable(n)
    link = z == cp.sum(cp.multiply(D.T, XU - XH), axis=1)
    if prog.loss == "mse":
        data = 0.5 * cp.sum_squares(z - prog.y)
    else:
        data = cp.sum(cp.logistic(z)) - prog.y @ z
    reg = prog.lam * (cp.sum(cp.norm(U, 2, axis=1)) + cp.sum(cp.norm(H, 2, axis=1)))
    cons = [link, cp.multiply(S.T, XU) >= 0, cp.multiply(S.T, XH) >= 0]
    problem = cp.Problem(cp.Minimize(data + reg), cons)
    kw = {}
    if solver == "CLARABEL":
        kw = dict(tol_gap_abs=CLARABEL_TOL, tol_gap_rel=CLARABEL_TOL, tol_feas=CLARABEL_TOL)
    try:
        problem.solve(solver=solver, verbose=verbose, **kw)
    except cp.error.SolverError as exc:
        raise SolverFailedError(f"cvxpy/{solver} failed: {exc}") from None
    if U.value is None or H.value is None:
        raise SolverFailedError(f"cvxpy/{solver} returned no point (status {problem.status})")
    blocks = np.vstack([U.value, H.value])
    dual = None if link.dual_value is None else np.asarray(link.dual_value, dtype=np.float64)
    return blocks, {"status": str(problem.status),
                    "iterations": int(problem.solver_stats.num_iters or 0),
                    "solver_objective": float(problem.value), "dual_point": dual}


#: Solver registry: name -> callable ``(prog, **kw) -> (blocks, info)``.
SOLVERS = {"clarabel": _solve_clarabel, "cvxpy": _solve_cvxpy}


def solve_program(prog: CGLProgram, method: str = "clarabel", **kw: Any) -> tuple[np.ndarray, dict[str, Any]]:
    """Solve the CGL ``prog`` on its patterns; returns ``(blocks (2P, p), info)``.

    ``info`` holds the solver ``status``, ``iterations``, ``solver_objective`` and
    ``seconds``.  No acceptance test here: see :func:`relu.convex.certify`.

    ``method="clarabel"`` also takes ``rows`` (bool, ``(P, n_samples)``): the chamber
    constraints kept per pattern.  Any set containing the walls of each chamber (see
    :meth:`ChamberTable.walls <relu.convex.pricing.ChamberTable.walls>`) describes
    the same cone; column generation passes the walls (a few per chamber instead of
    ``n_samples``).  The answer is polished onto the full cones and certified anyway.

    Examples
    --------
    >>> from relu.convex.program import CGLProgram
    >>> prog = CGLProgram.build([[0.0], [1.0], [2.0]], [0.0, 1.0, 0.0], 0.1)
    >>> blocks, info = solve_program(prog)
    >>> blocks.shape, info["status"]
    ((10, 2), 'Solved')
    """
    t0 = time.perf_counter()
    if prog.n_blocks == 0:
        return np.zeros((0, prog.p)), {"status": "trivial", "iterations": 0,
                                       "solver_objective": prog.loss_value(np.zeros(prog.n_samples)),
                                       "seconds": 0.0}
    blocks, info = SOLVERS[method](prog, **kw)
    info["seconds"] = time.perf_counter() - t0
    return blocks, info
