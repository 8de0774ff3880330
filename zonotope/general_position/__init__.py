"""General position of data sets and vector configurations.

Exact tests, witnesses, margins, certificates and provably generic perturbations.

A data set ``X`` (``n_samples`` points in ``R^d``) is *in general position* when every
set of at most ``d + 1`` homogenised points ``x_bar_i = (x_i, 1)`` is linearly
independent, i.e. no ``k <= d + 1`` of the points are affinely dependent (no repeated
points, no three on a line, no four on a plane, ..., no ``d + 1`` on a hyperplane).
A vector configuration (``n`` vectors in ``R^dim``) is *generic* when every set of at
most ``dim`` of its vectors is linearly independent.

Every answer here is exact (see ``docs/exactness.md``): determinants are evaluated in
floating point with a rigorous error bound, and recomputed with integers only when
the bound cannot certify the sign.  Deciding general position is coNP-complete when
the dimension is part of the input (Khachiyan 1995), so the exhaustive test refuses
inputs with more than ``max_subsets`` subsets; :func:`general_position_report`
answers large inputs in seconds with what *can* be certified, and
:func:`perturb_with_certificate` produces data whose genericity is certified by a
short proof (a modular certificate) checkable in ``O(n_samples d)``.  See
``docs/general_position.md``.

Layout: :mod:`~zonotope.general_position.exhaustive` (exact tests and witnesses),
:mod:`~zonotope.general_position.margin` (normalised minors, certified radius),
:mod:`~zonotope.general_position.certificate` (modular certificates and certified
perturbations), :mod:`~zonotope.general_position.report` (bounded-time report); the
shared search machinery is in ``_search`` and the minor scanner in
:mod:`zonotope._minors`.
"""

from ._search import DEFAULT_MAX_SUBSETS, Dependency
from .certificate import (
    GenericPerturbation,
    ModularCertificate,
    modular_certificate,
    perturb_to_general_position,
    perturb_with_certificate,
    verify_modular_certificate,
)
from .exhaustive import (
    general_position_witness,
    is_generic_configuration,
    is_in_general_position,
    linear_dependency_witness,
    minimal_affine_dependencies,
)
from .margin import GeneralPositionMargin, general_position_margin
from .report import GeneralPositionReport, general_position_report

__all__ = [
    "DEFAULT_MAX_SUBSETS",
    "Dependency",
    "GeneralPositionMargin",
    "GeneralPositionReport",
    "ModularCertificate",
    "GenericPerturbation",
    "is_in_general_position",
    "is_generic_configuration",
    "general_position_witness",
    "linear_dependency_witness",
    "minimal_affine_dependencies",
    "general_position_margin",
    "general_position_report",
    "modular_certificate",
    "verify_modular_certificate",
    "perturb_to_general_position",
    "perturb_with_certificate",
]
