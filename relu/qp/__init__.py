"""QP engines, KKT certificates and the fallback chain of the per-vertex programs.

Layout (one module per object or engine):

* :mod:`relu.qp.problem` -- the programs: :class:`LeastSquaresProblem` (a QP) and
  :class:`LossProblem` (logistic or another convex loss), both under the sign
  constraints of an activation pattern;
* :mod:`relu.qp.certificates` -- :func:`certify` (relative KKT residuals) and
  :func:`polish` (exact minimisation on the identified tight set);
* engines: :mod:`relu.qp.fast` (hand-written, only where it earns its keep),
  :mod:`relu.qp.daqp` (DAQP), :mod:`relu.qp.ldp` (DAQP on the least-distance form,
  only a problem's essential rows; local search's neighbour solves),
  :mod:`relu.qp.clarabel` (Clarabel), :mod:`relu.qp.cvxpy_ref` (cvxpy, the reference);
* :mod:`relu.qp.chain` -- the registry :data:`ENGINES` and :func:`solve`, which tries
  the engines in order and accepts only certified answers;
* :mod:`relu.qp.attainment` -- the LP deciding whether a logistic infimum is attained;
* :mod:`relu.qp.stress` -- random ill-conditioned subproblems for tests and benchmarks.

Most users call :func:`relu.solve_subproblem`, which builds the problem from data and
a vertex and runs the chain.  It first brings the data near 1 by exact power-of-two
scalings: the certificate is scale-invariant, but the library engines' own
tolerances are absolute, so problems built by hand should be scaled likewise.

Examples
--------
>>> import numpy as np
>>> from relu import qp
>>> P = qp.LeastSquaresProblem(np.eye(2), np.array([1.0, -1.0]), np.eye(2),
...                            np.array([[1.0, 1.0]]))       # min |w - (1, -1)|^2 / 2, w >= 0
>>> sol = qp.solve(P)
>>> sol.engine, np.round(sol.w, 12).tolist(), sol.certificate.ok
('daqp', [1.0, 0.0], True)
"""

from ._types import Candidate, EngineFailure, Settings, WarmStart
from .attainment import separable_examples
from .certificates import KKT_RTOL, Certificate, certify, polish
from .chain import CHAINS, ENGINES, GENERIC_ENGINES, Attempt, Solution, default_chain, solve
from .problem import LeastSquaresProblem, LossProblem, SignConstrainedProblem
from .stress import STRESS_KINDS, StressProblem, stress_problems

__all__ = [
    # problems
    "SignConstrainedProblem",
    "LeastSquaresProblem",
    "LossProblem",
    # certificates
    "KKT_RTOL",
    "Certificate",
    "certify",
    "polish",
    # engines and chain
    "ENGINES",
    "GENERIC_ENGINES",
    "CHAINS",
    "default_chain",
    "solve",
    "Solution",
    "Attempt",
    "Candidate",
    "WarmStart",
    "Settings",
    "EngineFailure",
    "separable_examples",
    # test problems
    "stress_problems",
    "StressProblem",
    "STRESS_KINDS",
]
