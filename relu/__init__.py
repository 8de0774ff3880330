"""Shallow ReLU networks on top of the exact zonotope layer.

A thin layer over :mod:`zonotope`: a vertex of ``Z^m`` (one chamber = activation
pattern per hidden unit) becomes the convex problem (3) of Matena & Raffel (2022)
(:func:`solve_subproblem`), and the paper's optimisers are built on it --
:func:`exact_erm` (Algorithm 1), and in :mod:`relu.search` :func:`random_vertex`
(Section 4.2), :func:`local_search` (a simple GLS) and :func:`gradient_descent` (the
baseline) -- with :func:`exact_fit_construction` (Theorem 4.3) and
:class:`ShallowReLURegressor` / :class:`ShallowReLUClassifier` as scikit-learn
estimators.  Every optimiser takes ``bias=True|False`` (hidden units with or without a
bias).  Conventions are in
``docs/relu.md``.  The hardness constructions and the (dis)continuity examples of
Section 4.1 (set cover -> one bias-free ReLU, Theorems 4.1-4.2) are in
:mod:`relu.reductions` and :mod:`relu.discontinuity` (``docs/hardness.md``).

Examples
--------
>>> import relu
>>> r = relu.exact_erm([[0.0], [1.0], [2.0], [3.0]], [0.0, 0.0, 1.0, 2.0], 1, [1.0, 0.0],
...                    progress=False)
>>> round(r.loss, 12)
0.0
"""

from . import convex
from .convex import CGLResult, solve_cgl
from .discontinuity import (
    ContinuityStudy,
    DiscontinuityExample,
    LossCurve,
    VertexLosses,
    affine_dependency_example,
    continuity_study,
    discontinuity_examples,
    loss_curve,
    new_vertex_example,
    vertex_losses,
)
from .exact_erm import count_vertices, exact_erm, vertex_lower_bounds
from .exact_fit import ExactFitResult, exact_fit_construction
from .exceptions import (
    InfeasibleSubproblemError,
    NotFittedError,
    SolverFailedError,
    UnattainedInfimumWarning,
    WorkerError,
)
from .losses import LOSSES, Loss, get_loss
from .network import alternating_second_layer, glorot_uniform, mean_loss, predict
from .reductions import (
    PerturbedReduction,
    SetCoverReduction,
    breaking_perturbation,
    general_position_reduction,
    min_set_cover,
    set_cover_reduction,
    set_systems,
)
from .results import FitResult
from .search import gradient_descent, local_search, random_pattern, random_vertex
from .subproblem import SubproblemResult, SubproblemSolver, is_chamber_pattern, solve_subproblem

__all__ = [
    # model
    "predict",
    "mean_loss",
    "glorot_uniform",
    "alternating_second_layer",
    "Loss",
    "LOSSES",
    "get_loss",
    # vertex -> convex program
    "solve_subproblem",
    "SubproblemSolver",
    "SubproblemResult",
    "is_chamber_pattern",
    # optimisers
    "FitResult",
    "exact_erm",
    "count_vertices",
    "vertex_lower_bounds",
    "random_vertex",
    "random_pattern",
    "local_search",
    "gradient_descent",
    "exact_fit_construction",
    "ExactFitResult",
    "ShallowReLURegressor",
    "ShallowReLUClassifier",
    # convex reformulation (Mishkin & Pilanci)
    "convex",
    "solve_cgl",
    "CGLResult",
    # hardness and (dis)continuity (Section 4.1, Theorems 4.1-4.2)
    "min_set_cover",
    "set_systems",
    "SetCoverReduction",
    "set_cover_reduction",
    "general_position_reduction",
    "PerturbedReduction",
    "breaking_perturbation",
    "VertexLosses",
    "vertex_losses",
    "DiscontinuityExample",
    "affine_dependency_example",
    "new_vertex_example",
    "discontinuity_examples",
    "LossCurve",
    "loss_curve",
    "ContinuityStudy",
    "continuity_study",
    # errors
    "InfeasibleSubproblemError",
    "SolverFailedError",
    "NotFittedError",
    "UnattainedInfimumWarning",
    "WorkerError",
]


def __getattr__(name: str):
    # The scikit-learn estimators load scikit-learn (about 1 s); they are imported on
    # first use so that ``import relu`` stays fast.
    if name in ("ShallowReLURegressor", "ShallowReLUClassifier"):
        from . import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'relu' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
