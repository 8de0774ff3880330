r"""Numerical checks of the papers' claims: a registry, a runner, and the geometry claims.

A *check* is a function ``check(quick, rng) -> CheckOutcome`` registered with
:func:`register_check` under a name, with the paper, section and claim it tests.
:func:`run_checks` runs a selection (names, groups or ``"all"``) and returns one
:class:`CheckResult` per check; ``zonotope verify`` prints them and exits non-zero on
any failure.  The geometry claims (this module) are registered on import; other
packages add theirs through the entry-point group ``zonotope.verify`` (each entry
point names a module whose import registers its checks), so the geometry layer never
imports the ReLU layer by name::

    [project.entry-points."zonotope.verify"]
    relu = "relu.verify_checks"

Writing a check::

    from zonotope.verify import register_check, CheckOutcome

    @register_check("my-claim", paper="Author 2024", section="Thm 1", claim="...",
                    groups=("mine",))
    def _check(quick, rng):
        ...  # compare a fast answer with an independent one on many instances
        return CheckOutcome(instances=n, worst_deviation=dev, tolerance=tol,
                            passed=dev <= tol, details={...})

Examples
--------
>>> res = run_checks(("general-position",), quick=True)
>>> [r.name for r in res], res[0].passed
(['general-position'], True)
"""

from __future__ import annotations

import json
import math
import sys
import time
import zlib
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from .exceptions import ValidationError

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TextIO

    #: What a registered check is: ``func(quick, rng) -> CheckOutcome``.
    CheckFunction = Callable[..., "CheckOutcome"]

__all__ = [
    "CheckOutcome",
    "CheckResult",
    "Check",
    "register_check",
    "unregister_check",
    "registered_checks",
    "run_checks",
    "format_results",
    "write_json",
    "verify_main",
]

#: The papers the built-in checks refer to.
MATENA = "Matena & Raffel 2022"


# ============================================================================= registry
@dataclass(frozen=True)
class CheckOutcome:
    """What a check function returns.

    Attributes
    ----------
    instances : int
        Number of instances checked.
    worst_deviation : float
        The largest deviation from the claim over the instances (its meaning is stated
        in the check's ``details``; 0 for a perfectly matching count or decision).
    tolerance : float
        The deviation allowed (0 for exact claims, solver accuracy for numerical ones).
    passed : bool
    details : dict
        JSON-serialisable extra information (sizes, gaps, counts, ...).

    Examples
    --------
    >>> CheckOutcome(3, 0.0, 0.0, True).passed
    True
    """

    instances: int
    worst_deviation: float
    tolerance: float
    passed: bool
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    """A :class:`CheckOutcome` with the check's identity and its running time.

    Attributes
    ----------
    name, paper, section, claim : str
    groups : tuple of str
    instances : int
    worst_deviation, tolerance : float
    passed : bool
    details : dict
    seconds : float
    error : str or None
        The exception message when the check raised (then ``passed`` is False).

    Examples
    --------
    >>> result = run_checks(("products",), quick=True)[0]
    >>> result.name, result.passed, result.error is None, result.instances > 0
    ('products', True, True, True)
    """

    name: str
    paper: str
    section: str
    claim: str
    groups: tuple
    instances: int
    worst_deviation: float
    tolerance: float
    passed: bool
    details: dict
    seconds: float
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict.

        Examples
        --------
        >>> sorted(run_checks(("products",), quick=True)[0].to_dict())[:4]
        ['claim', 'details', 'error', 'groups']
        """
        d = asdict(self)
        d["groups"] = list(self.groups)
        d["details"] = _jsonable(self.details)
        for k in ("worst_deviation", "tolerance"):
            d[k] = _jsonable(d[k])
        return d


@dataclass(frozen=True)
class Check:
    """A registered check: the function and what it claims.

    Attributes
    ----------
    name : str
        The name ``zonotope verify NAME`` selects it by.
    func : callable
        ``func(quick, rng) -> CheckOutcome``.
    paper, section, claim : str
        Where the claim is stated, and the claim in words.
    groups : tuple of str
        Names that select it together with other checks (``hardness``, ``geometry``, ...).

    Examples
    --------
    >>> check = {c.name: c for c in registered_checks()}["counts"]
    >>> check.func.__name__, "geometry" in check.groups
    ('_check_counts', True)
    """

    name: str
    func: object
    paper: str
    section: str
    claim: str
    groups: tuple


_REGISTRY: dict = {}
_PLUGINS_LOADED = False


def register_check(name: str, *, paper: str, section: str, claim: str,
                   groups: Iterable[str] = ()) -> Callable[[CheckFunction], CheckFunction]:
    """Decorator registering ``func(quick: bool, rng: numpy.random.Generator) -> CheckOutcome``.

    Parameters
    ----------
    name : str
        Unique name (what ``zonotope verify NAME`` selects).
    paper, section, claim : str
        The source of the claim and the claim itself, one sentence.
    groups : tuple of str
        Extra selectors (``zonotope verify GROUP`` runs every check in the group).

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.

    Raises
    ------
    ValidationError
        Empty name, or a name already registered by a different function.

    Examples
    --------
    >>> @register_check("doc-example", paper="-", section="-", claim="1 + 1 = 2", groups=("doc",))
    ... def _c(quick, rng):
    ...     return CheckOutcome(1, abs((1 + 1) - 2), 0.0, True)
    >>> run_checks(("doc",))[0].passed
    True
    >>> unregister_check("doc-example")
    True
    """
    if not isinstance(name, str) or not name or name == "all":
        raise ValidationError(f"`name` of `register_check` must be a non-empty string other than 'all'; "
                              f"got {name!r} instead.")
    groups = tuple(groups)
    if not all(isinstance(g, str) and g for g in groups):
        raise ValidationError(f"`groups` of `register_check` must be non-empty strings; "
                              f"got {groups!r} instead.")

    def deco(func):
        old = _REGISTRY.get(name)
        if old is not None and _identity(old.func) != _identity(func):   # re-importing a module is fine
            raise ValidationError(f"`name` of `register_check` must be unique; {name!r} is already "
                                  f"registered by {old.func.__module__}.{old.func.__qualname__}.")
        _REGISTRY[name] = Check(name, func, str(paper), str(section), str(claim), groups)
        return func

    return deco


def unregister_check(name: str) -> bool:
    """Remove the check ``name`` from the registry.

    For a plugin withdrawing a check, or a test cleaning up after itself.

    Parameters
    ----------
    name : str
        The name the check was registered under.

    Returns
    -------
    bool
        Whether a check of that name was registered.

    Examples
    --------
    >>> @register_check("doc-scratch", paper="-", section="-", claim="-")
    ... def _c(quick, rng):
    ...     return CheckOutcome(1, 0.0, 0.0, True)
    >>> unregister_check("doc-scratch"), unregister_check("doc-scratch")
    (True, False)
    >>> "doc-scratch" in {c.name for c in registered_checks()}
    False
    """
    return _REGISTRY.pop(name, None) is not None


def _identity(func):
    code = getattr(func, "__code__", None)
    where = (code.co_filename, code.co_firstlineno) if code is not None else None
    return (getattr(func, "__module__", None), getattr(func, "__qualname__", None), where)


def _load_plugins():
    """Import the modules of the entry-point group ``zonotope.verify`` (once)."""
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return
    _PLUGINS_LOADED = True
    from importlib.metadata import entry_points

    for ep in entry_points(group="zonotope.verify"):
        try:
            ep.load()
        except ImportError:  # pragma: no cover - a broken plugin must not break the runner
            continue


def registered_checks() -> tuple[Check, ...]:
    """Every registered check (plugins loaded), in registration order.

    Examples
    --------
    >>> "products" in [c.name for c in registered_checks()]
    True
    """
    _load_plugins()
    return tuple(_REGISTRY.values())


def _select(selection):
    checks = registered_checks()
    if isinstance(selection, str):
        selection = (selection,)
    selection = tuple(selection)
    if not selection or not all(isinstance(s, str) for s in selection):
        raise ValidationError(f"`selection` of `run_checks` must be names, groups or 'all'; "
                              f"got {selection!r} instead.")
    chosen = []
    for s in selection:
        if s == "all":
            hit = list(checks)
        else:
            hit = [c for c in checks if c.name == s or s in c.groups]
        if not hit:
            names = ", ".join(c.name for c in checks)
            groups = ", ".join(sorted({g for c in checks for g in c.groups}))
            raise ValidationError(f"`selection` of `run_checks` must name checks or groups; "
                                  f"{s!r} is neither. Checks: {names}. Groups: {groups}.")
        for c in hit:
            if c not in chosen:
                chosen.append(c)
    return chosen


def _check_rng_for(seed, name):
    return np.random.default_rng([int(seed), zlib.crc32(name.encode())])


def run_checks(selection: Iterable[str] = ("all",), *, quick: bool = False,
               rng: int | np.random.Generator | None = 0, progress: bool | None = None) -> list[CheckResult]:
    """Run the selected checks.

    Parameters
    ----------
    selection : str or sequence of str
        Check names, group names, or ``"all"``.
    quick : bool
        Small instance sets (the whole quick run takes well under a minute).
    rng : int
        Seed; each check gets its own generator derived from the seed and its name, so
        a check's instances do not depend on which other checks run.
    progress : bool or None
        A tqdm bar over the checks (``None``: only on a terminal).

    Returns
    -------
    list of CheckResult
        A check that raises is reported as failed, with ``error`` set.

    Raises
    ------
    ValidationError
        An unknown name or group, or a bad seed.

    Examples
    --------
    >>> res = run_checks(["general-position"], quick=True, rng=1)
    >>> res[0].name, res[0].passed, res[0].instances > 0
    ('general-position', True, True)
    """
    if isinstance(rng, bool) or not isinstance(rng, (int, np.integer)) or rng < 0:
        raise ValidationError(f"`rng` of `run_checks` must be a non-negative int seed; got {rng!r} instead.")
    chosen = _select(selection)
    show = sys.stderr.isatty() if progress is None else bool(progress)
    it = chosen
    if show:
        from tqdm import tqdm

        it = tqdm(chosen, desc="verify", unit="check")
    out = []
    for c in it:
        t0 = time.perf_counter()
        try:
            o = c.func(bool(quick), _check_rng_for(rng, c.name))
            if not isinstance(o, CheckOutcome):
                raise TypeError(f"check {c.name!r} returned {type(o).__name__}, not CheckOutcome")
            res = CheckResult(c.name, c.paper, c.section, c.claim, c.groups, int(o.instances),
                              float(o.worst_deviation), float(o.tolerance), bool(o.passed), dict(o.details),
                              time.perf_counter() - t0)
        except Exception as exc:  # a crashing check is a failed check, reported
            res = CheckResult(c.name, c.paper, c.section, c.claim, c.groups, 0, float("nan"), float("nan"),
                              False, {}, time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
        out.append(res)
    return out


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        return v if math.isfinite(v) else str(v)
    if isinstance(x, np.ndarray):
        return _jsonable(x.tolist())
    if isinstance(x, (str, int, bool)) or x is None:
        return x
    return str(x)


def format_results(results: Sequence[CheckResult]) -> str:
    """A plain-text report: per check what was checked, on how many instances, PASS/FAIL.

    Examples
    --------
    >>> print(format_results(run_checks(("products",), quick=True)).splitlines()[0][:32])
    PASS  products  (Matena & Raffel
    """
    lines = []
    for r in results:
        status = "PASS" if r.passed else "FAIL"
        lines.append(f"{status}  {r.name}  ({r.paper}, {r.section})")
        lines.append(f"      claim: {r.claim}")
        lines.append(f"      instances: {r.instances}   worst deviation: {r.worst_deviation:.3g}   "
                     f"tolerance: {r.tolerance:.3g}   time: {r.seconds:.1f} s")
        if r.error:
            lines.append(f"      error: {r.error}")
        for k, v in r.details.items():
            txt = json.dumps(_jsonable(v))
            if len(txt) > 160:
                txt = txt[:157] + "..."
            lines.append(f"      {k}: {txt}")
    n_fail = sum(not r.passed for r in results)
    lines.append(f"{len(results) - n_fail} passed, {n_fail} failed "
                 f"({sum(r.seconds for r in results):.1f} s)")
    return "\n".join(lines)


def write_json(results: Sequence[CheckResult], path: str | os.PathLike[str], *, quick: bool | None = None,
               rng: int | np.random.Generator | None = None) -> None:
    """Write the results as JSON (a report a CI job can keep).

    Examples
    --------
    >>> import json, os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "v.json")
    >>> write_json(run_checks(("products",), quick=True), p, quick=True, rng=0)
    >>> json.load(open(p))["checks"][0]["name"], json.load(open(p))["passed"]
    ('products', True)
    """
    import platform

    from . import __version__

    doc = {"zonotope_version": __version__, "python": platform.python_version(),
           "quick": quick, "rng": rng, "passed": all(r.passed for r in results),
           "checks": [r.to_dict() for r in results]}
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=2)


def verify_main(selection: Iterable[str] = ("all",), *, quick: bool = False,
                json_path: str | os.PathLike[str] | None = None, rng: int | np.random.Generator | None = 0,
                out: TextIO | None = None, progress: bool | None = None) -> int:
    """What ``zonotope verify`` runs: print the report, write JSON, return the exit code.

    Returns
    -------
    int
        0 when every selected check passed, 1 otherwise.

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> verify_main(["products"], quick=True, out=buf)
    0
    """
    out = sys.stdout if out is None else out
    results = run_checks(selection, quick=quick, rng=rng, progress=progress)
    print(format_results(results), file=out)
    if json_path:
        write_json(results, json_path, quick=quick, rng=rng)
        print(f"report written to {json_path}", file=out)
    return 0 if all(r.passed for r in results) else 1


# ============================================================================= geometry checks
def _generic_count(N, d):
    return 2 * sum(math.comb(N - 1, k) for k in range(d + 1))


def _degenerate_points(gen, N, d):
    """Random integer points with a forced dependency (a duplicate or d+1 on a hyperplane)."""
    from .library import generic_points

    X = np.array(generic_points(N, d, rng=gen), dtype=object)
    if gen.random() < 0.5 or d == 1:
        i, j = gen.choice(N, 2, replace=False)
        X[j] = X[i].copy()
    else:  # put point d on the affine hull of points 0..d-1 (an affine combination)
        coef = [int(c) for c in gen.integers(-2, 3, size=d - 1)]
        coef.append(1 - sum(coef))
        X[d] = sum((c * X[k] for k, c in enumerate(coef)), np.zeros(d, dtype=object))
    return X


def _instances(gen, quick, generic=True, degenerate=True):
    from .library import generic_points

    sizes = ([(5, 1), (6, 2), (7, 2), (6, 3)] if quick
             else [(5, 1), (8, 1), (6, 2), (7, 2), (9, 2), (7, 3), (8, 3)])
    reps = 1 if quick else 3
    for N, d in sizes:
        for _ in range(reps):
            if generic:
                yield "generic", np.array(generic_points(N, d, rng=gen), dtype=object)
            if degenerate:
                yield "degenerate", _degenerate_points(gen, N, d)


@register_check(
    "counts", paper=MATENA, section="§2, App. A (Zaslavsky 1975)",
    claim="chambers of the data arrangement = zonotope vertices = |chi(-1)| (Zaslavsky) "
          "= 2 sum_{k<=d} C(N-1, k) for data in general position",
    groups=("zonotope", "geometry", "matena"))
def _check_counts(quick, rng):
    from . import Arrangement, Zonotope, characteristic_polynomial, count_chambers, enumerate_chambers

    dev, n, rows = 0, 0, []
    for kind, X in _instances(rng, quick):
        N, d = X.shape
        A = Arrangement.from_points(X)
        counts = {"sweep": len(enumerate_chambers(A, interior_points=False)),
                  "count": count_chambers(A),
                  "zonotope_vertices": Zonotope.from_points(X).n_vertices,
                  "zaslavsky": abs(int(characteristic_polynomial(A).eval(-1)))}
        if N <= (5 if quick else 6):   # the slow reference: LP graph search
            counts["lp"] = len(enumerate_chambers(A, method="lp", interior_points=False))
        if kind == "generic":
            counts["closed_form"] = _generic_count(N, d)
        vals = list(counts.values())
        dev = max(dev, max(vals) - min(vals))
        n += 1
        rows.append([kind, N, d, counts["sweep"]])
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"deviation": "max - min over the counting methods",
                         "instances (kind, N, d, count)": rows})


@register_check(
    "zonotope-duality", paper=MATENA, section="§2, App. A",
    claim="the vertices of the zonotope of the points (x_i, 1) are sum_i a_i (x_i, 1) over the "
          "activation patterns a (qhull hull of all 2^N subset sums agrees)",
    groups=("zonotope", "geometry", "matena"))
def _check_duality(quick, rng):
    from scipy.spatial import ConvexHull

    from . import Zonotope, homogenize

    dev, n = 0, 0
    for kind, X in _instances(rng, quick):
        N, d = X.shape
        if N > 9:
            continue
        Xb = np.array([[float(v) for v in r] for r in homogenize(X)])
        Z = Zonotope.from_points(X)
        ours = {tuple(np.round(a @ Xb, 9)) for a in np.asarray(Z.coefficients, dtype=np.float64)}
        subs = np.array(list(np.ndindex(*(2,) * N)), dtype=np.float64) @ Xb
        centred = subs - subs.mean(axis=0)
        r = np.linalg.matrix_rank(centred)
        basis = np.linalg.svd(centred)[2][:r]       # the zonotope's affine hull
        hull = ConvexHull(centred @ basis.T) if r > 1 else None
        verts = hull.vertices if hull is not None else [int(np.argmin(centred @ basis[0])),
                                                        int(np.argmax(centred @ basis[0]))]
        theirs = {tuple(np.round(subs[k], 9)) for k in verts}
        dev = max(dev, len(ours ^ theirs))
        # the support function: argmax over the zonotope of <u, z> is the pattern of u
        U = rng.standard_normal((20, Xb.shape[1]))
        for u in U:
            a = (Xb @ u > 0).astype(np.float64)
            if abs(float(Z.support_function(u)[0]) - float(u @ (a @ Xb))) > 1e-9 * (1 + np.abs(Xb).sum()):
                dev += 1
        n += 1
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"deviation": "vertices in one set but not the other "
                                      "(+ support-function mismatches)"})


@register_check(
    "edges", paper=MATENA, section="§2, App. A",
    claim="edges of the zonotope = pairs of vertices whose patterns differ in exactly one class of "
          "coincident points; the edge vector is that class's summed generators",
    groups=("zonotope", "geometry", "matena"))
def _check_edges(quick, rng):
    from fractions import Fraction

    from . import Zonotope, homogenize

    dev, n, degs = 0, 0, []
    for kind, X in _instances(rng, quick):
        Xb = homogenize(X)
        # classes of coincident points, computed here from the exact data
        key = {}
        cls = [key.setdefault(tuple(Fraction(v) for v in r), len(key)) for r in Xb]
        Z = Zonotope.from_points(X)
        C = np.asarray(Z.coefficients, dtype=np.int64)
        expected = set()
        for a, b in combinations(range(Z.n_vertices), 2):
            diff = {cls[i] for i in np.flatnonzero(C[a] != C[b])}
            if len(diff) == 1:
                expected.add((a, b))
        got = {tuple(sorted(map(int, e))) for e in Z.edges}
        dev = max(dev, len(expected ^ got))
        V = np.asarray(Z.vertices_exact(), dtype=object)
        for (a, b), g in zip(map(tuple, Z.edges), Z.edge_generators):
            vec = V[b] - V[a]
            s = sum((Xb[i] for i in g), np.zeros(Xb.shape[1], dtype=object))
            if not (all(vec == s) or all(vec == -s)):
                dev += 1
        deg = np.bincount(np.asarray(Z.edges).ravel(), minlength=Z.n_vertices)
        degs.append(int(deg.max()))
        if deg.max() > X.shape[0]:
            dev += 1
        n += 1
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"deviation": "edge-set differences + wrong edge vectors + degrees above N",
                         "max degree per instance": degs})


@register_check(
    "products", paper=MATENA, section="§2, App. A.3.1",
    claim="Z^m (the zonotope of m units) is a zonotope whose vertices are the m-tuples of vertices "
          "of Z: |vert Z^m| = |vert Z|^m, computed from its block-embedded generators",
    groups=("zonotope", "geometry", "matena"))
def _check_products(quick, rng):
    from . import Zonotope
    from .library import generic_points

    dev, n, rows = 0, 0, []
    cases = [(4, 1, 2), (5, 1, 2)] if quick else [(4, 1, 2), (5, 1, 2), (6, 1, 2), (4, 2, 2), (3, 1, 3)]
    for N, d, m in cases:
        X = generic_points(N, d, rng=rng)
        Z = Zonotope.from_points(X)
        P = Z.power(m)
        direct = Zonotope(P.generators).n_vertices
        dev = max(dev, abs(direct - Z.n_vertices ** m), abs(P.n_vertices - Z.n_vertices ** m))
        rows.append([N, d, m, Z.n_vertices, direct])
        n += 1
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"instances (N, d, m, |vert Z|, |vert Z^m|)": rows})


@register_check(
    "general-position", paper=MATENA, section="§2 (Cover 1965, Zaslavsky 1975)",
    claim="the data are in general position iff their arrangement has the closed-form number "
          "2 sum_{k<=d} C(N-1, k) of chambers",
    groups=("zonotope", "geometry", "matena"))
def _check_general_position(quick, rng):
    from . import Arrangement, count_chambers, is_in_general_position

    dev, n, tally = 0, 0, {"generic": 0, "degenerate": 0}
    for kind, X in _instances(rng, quick):
        N, d = X.shape
        gp = bool(is_in_general_position(X))
        full = count_chambers(Arrangement.from_points(X)) == _generic_count(N, d)
        dev += int(gp != full) + int(gp != (kind == "generic"))
        tally[kind] += 1
        n += 1
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"deviation": "instances where the predicate, the count and the construction "
                                      "disagree",
                         "instances": tally})


@register_check(
    "perturbation-radius", paper=MATENA, section="Thm 4.1, proof step 1",
    claim="moving each point by less than the certified radius keeps the chirotope (hence the "
          "activation patterns); the degenerating perturbation at the exact radius breaks it",
    groups=("zonotope", "geometry", "matena"))
def _check_perturbation(quick, rng):
    from . import are_combinatorially_equivalent, perturbation_radius, sample_perturbations
    from .library import generic_points

    dev, n, rows = 0, 0, []
    cases = [(5, 1), (6, 2), (6, 3)] if quick else [(5, 1), (7, 1), (6, 2), (8, 2), (6, 3), (8, 3)]
    n_samp = 10 if quick else 40
    for N, d in cases:
        X = np.asarray(generic_points(N, d, rng=rng), dtype=np.float64)
        r = perturbation_radius(X)
        s = sample_perturbations(X, 0.999 * r.certified, n_samp, rng=rng, distribution="sphere")
        changed = s.n_changed
        if r.exact:
            s2 = sample_perturbations(X, 0.999 * r.exact, n_samp, rng=rng, distribution="sphere")
            changed += s2.n_changed
            broken = not bool(are_combinatorially_equivalent(X, X + 1.01 * r.degenerating_perturbation()))
            changed += int(not broken)
        dev += changed
        rows.append([N, d, r.certified, r.exact])
        n += 2 * n_samp + 1
    return CheckOutcome(n, float(dev), 0.0, dev == 0,
                        {"deviation": "perturbations inside the radius that changed the type, "
                                      "plus degenerating perturbations that did not",
                         "radii (N, d, certified, exact)": rows})
