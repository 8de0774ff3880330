"""The engine registry and the fallback chain.

Every engine is a function ``engine(problem, warm, *, settings) -> Candidate`` that
may raise :class:`EngineFailure`; :data:`ENGINES` registers them per problem kind, in
one place.  :func:`solve` runs a chain of engines: each answer is accepted only when
the KKT certificate (:func:`relu.qp.certificates.certify`) passes; an answer that
just misses it is polished (:func:`relu.qp.certificates.polish`) and certified again;
otherwise the next engine is tried.  The first *accurate* answer (small backward
error and small Newton decrement) is returned; if no engine gives one (an
ill-conditioned problem), the backward-stable answer with the lowest objective.
Only when every engine has failed is :class:`~relu.exceptions.SolverFailedError`
raised, and its message lists each engine's residuals (or its error).

The default chains end in well-kept library solvers: for least squares the
hand-written fast path first (only where it earns its keep, see
:mod:`relu.qp.fast`), then DAQP, then Clarabel, then cvxpy+Clarabel; for the
logistic loss Clarabel, then Newton steps with DAQP (:mod:`relu.qp.sqp`), then cvxpy.

The pattern is reusable for other convex programs: give :func:`solve` a problem, a
registry of engines for its ``kind``, and its own ``certify``/``polish`` functions.

Examples
--------
>>> import numpy as np
>>> from relu.qp.problem import LeastSquaresProblem
>>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                         np.array([[1.0, 1.0]]))
>>> sol = solve(P)
>>> sol.engine, np.round(sol.w, 12).tolist()
('daqp', [1.0, 0.0])
>>> solve(P, chain=("clarabel",)).engine in ("clarabel", "clarabel+polish")
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..exceptions import SolverFailedError
from . import clarabel, cvxpy_ref, daqp, fast, ldp, sqp
from ._types import Candidate, EngineFailure, Settings, WarmStart
from .certificates import KKT_RTOL, Certificate, certify, polish

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any

    from .problem import SignConstrainedProblem

__all__ = ["ENGINES", "CHAINS", "GENERIC_ENGINES", "Attempt", "Solution", "solve", "default_chain",
           "Settings", "WarmStart", "Candidate", "EngineFailure"]

#: Engine registry: problem kind -> engine name -> engine function.
ENGINES = {
    "mse": {
        "fast": fast.solve_qp,
        "ldp": ldp.solve_qp,
        "daqp": daqp.solve_qp,
        "clarabel": clarabel.solve_qp,
        "cvxpy": cvxpy_ref.solve_qp,
    },
    "logistic": {
        "clarabel": clarabel.solve_logistic,
        "newton": sqp.solve_logistic_newton,
        "cvxpy": cvxpy_ref.solve_loss,
    },
}

#: Engines of a problem kind without an entry in :data:`ENGINES` (a custom loss).
GENERIC_ENGINES = {"cvxpy": cvxpy_ref.solve_loss}

#: Default chains: problem kind -> engine names tried in order (``"fast"`` only where
#: :func:`relu.qp.fast.use_fast` says it pays).
CHAINS = {
    "mse": ("fast", "daqp", "clarabel", "cvxpy"),
    "logistic": ("clarabel", "newton", "cvxpy"),
}


@dataclass(frozen=True)
class Attempt:
    """One engine's try: its certificate (None if it raised) and what happened.

    Examples
    --------
    >>> str(Attempt("daqp", False, "DAQP exit flag -1 after 3 iterations", 0.001))
    'daqp: DAQP exit flag -1 after 3 iterations'
    """

    engine: str
    accepted: bool
    message: str
    seconds: float
    iterations: int = 0
    certificate: Certificate | None = None

    def __str__(self):
        return f"{self.engine}: {self.message}"


@dataclass(frozen=True, eq=False)
class Solution:
    """A certified solution of a per-vertex program.

    Attributes
    ----------
    w : ndarray, shape (n_vars,)
    multipliers : ndarray, shape (n_units, n_rows)
        Multipliers of the normalised constraint rows (``mu >= 0``).
    engine : str
        The engine whose answer was accepted, ``"+polish"`` appended when it was
        polished first.
    certificate : Certificate
    attempts : tuple of Attempt
        Every engine tried, in order (the last one is the accepted one).
    iterations : int
        Iterations summed over the attempts.
    candidate : Candidate
        The accepted engine's raw answer (e.g. the cvxpy status of the reference).

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0 componentwise
    >>> sol = solve(P)
    >>> sol.certificate.accurate, sol.multipliers.round(12).tolist()
    (True, [[0.0, 1.0]])
    """

    w: np.ndarray
    multipliers: np.ndarray
    engine: str
    certificate: Certificate
    attempts: tuple
    iterations: int
    candidate: Candidate


def default_chain(problem: SignConstrainedProblem, warm_start: WarmStart | None = None, *,
                  start: str | None = None) -> list[str]:
    """The engine names :func:`solve` tries by default, optionally from ``start`` on.

    Parameters
    ----------
    problem : SignConstrainedProblem
    warm_start : WarmStart, optional
    start : str, optional
        First engine (the chain's tail from there); ignored when the kind's chain does
        not contain it.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp.problem import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.ones(2), np.eye(2), np.array([[1.0, 1.0]]))
    >>> default_chain(P), default_chain(P, start="clarabel")
    (('daqp', 'clarabel', 'cvxpy'), ('clarabel', 'cvxpy'))
    """
    chain = CHAINS.get(problem.kind, tuple(GENERIC_ENGINES))
    if start is not None and start in chain:
        chain = chain[chain.index(start):]
    if "fast" in chain and not fast.use_fast(problem, warm_start):
        chain = tuple(c for c in chain if c != "fast")
    return chain


def _failure_message(problem, attempts):
    parts = "; ".join(str(a) for a in attempts)
    msg = (f"no engine produced a KKT-certified solution of the {problem.kind} subproblem "
           f"({problem.n_units} unit(s), {problem.p} weights each, {problem.n_rows} rows): "
           f"{parts}")
    if any(a.certificate is not None and not a.certificate.representable for a in attempts):
        msg += ("; some engines reached weights so large that float64 cannot represent the "
                "network (near-duplicate points or nearly collinear data can push the "
                "optimum of a thin chamber out to ||W|| ~ 1e15)")
    return msg


def solve(problem: SignConstrainedProblem, *, chain: Sequence[str] | None = None,
          warm_start: WarmStart | None = None, settings: Settings | None = None, rtol: float = KKT_RTOL,
          registry: Mapping[str, Callable[..., Candidate]] | None = None,
          certify_fn: Callable[..., Certificate] = certify,
          polish_fn: Callable[..., Any] = polish) -> Solution:
    """Run a chain of engines until one answer is certified.

    Parameters
    ----------
    problem : SignConstrainedProblem
        Any object with a ``kind`` (and what the engines and ``certify_fn`` read).
    chain : sequence of str, optional
        Engine names (default :func:`default_chain`).
    warm_start : WarmStart, optional
    settings : Settings, optional
    rtol : float
        Relative tolerance of the certificate.
    registry : dict, optional
        ``name -> engine`` (default :data:`ENGINES` ``[problem.kind]``, or
        :data:`GENERIC_ENGINES` for other kinds).
    certify_fn, polish_fn : callable
        ``certify_fn(problem, w, mu, rtol=) -> Certificate`` and
        ``polish_fn(problem, w, mu, rtol=) -> (w, Certificate) or None``.

    Returns
    -------
    Solution

    Raises
    ------
    SolverFailedError
        Every engine failed; the message lists each engine's residuals or error.

    Examples
    --------
    >>> import numpy as np
    >>> from relu.qp import LeastSquaresProblem
    >>> P = LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
    ...                         np.array([[1.0, 1.0]]))       # w >= 0 componentwise
    >>> sol = solve(P, chain=("clarabel", "cvxpy"))
    >>> sol.engine in ("clarabel", "clarabel+polish"), np.round(sol.w, 9).tolist()
    (True, [1.0, 0.0])
    >>> [a.engine for a in sol.attempts] == [sol.engine]
    True
    """
    registry = ENGINES.get(problem.kind, GENERIC_ENGINES) if registry is None else registry
    chain = default_chain(problem, warm_start) if chain is None else tuple(chain)
    settings = settings or Settings()
    attempts = []
    iterations = 0
    best = None                     # the best backward-stable answer, if none is accurate
    for name in chain:
        engine = registry[name]
        t0 = time.perf_counter()
        try:
            cand = engine(problem, warm_start, settings=settings)
        except EngineFailure as exc:
            attempts.append(Attempt(name, False, str(exc), time.perf_counter() - t0))
            continue
        iterations += cand.iterations
        mu = cand.multipliers
        cert = certify_fn(problem, cand.w, np.zeros((problem.n_units, problem.n_rows))
                          if mu is None else mu, rtol=rtol)
        label, w = name, cand.w
        if not cert.accurate:
            fixed = polish_fn(problem, cand.w, mu, rtol=rtol)
            if fixed is not None and (fixed[1].accurate or not cert.ok):
                w, cert = fixed
                label = name + "+polish"
        dt = time.perf_counter() - t0
        if cert.accurate:
            attempts.append(Attempt(label, True, f"certified ({cert})", dt, cand.iterations, cert))
            return Solution(np.asarray(w), cert.multipliers, label, cert, tuple(attempts),
                            iterations, cand)
        if cert.ok:
            attempts.append(Attempt(label, False, f"backward-stable, decrement above tolerance "
                                    f"({cert})", dt, cand.iterations, cert))
            value = problem.objective(w)
            if best is None or value < best[0]:
                best = (value, np.asarray(w), cert, label, cand)
            continue
        attempts.append(Attempt(name, False, f"not certified ({cert})", dt, cand.iterations, cert))
    if best is not None:
        # no engine reached an accurate answer (an ill-conditioned problem): the lowest
        # objective among the backward-stable ones
        _, w, cert, label, cand = best
        attempts.append(Attempt(label, True, "accepted: lowest objective of the backward-stable "
                                "answers", 0.0, 0, cert))
        return Solution(w, cert.multipliers, label, cert, tuple(attempts), iterations, cand)
    raise SolverFailedError(_failure_message(problem, attempts))
