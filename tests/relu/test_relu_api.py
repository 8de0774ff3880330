"""The public API of the ReLU layer: __all__, layering, errors (docstrings: tests/test_docstrings.py)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import relu
import relu.cli
import relu.estimators
from relu import exceptions as rex
from zonotope.exceptions import ZonotopeError

PACKAGE_DIR = Path(relu.__file__).parent


def test_all_lists_existing_unique_names():
    assert len(relu.__all__) == len(set(relu.__all__))
    for name in relu.__all__:
        assert hasattr(relu, name)


# (the in-package unit tests, relu/**/tests/, are not modules of the library)
MODULES = sorted(m.name for m in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="relu.")
                 if "tests" not in m.name.split("."))


@pytest.mark.parametrize("modname", MODULES)
def test_every_module_declares_all_and_no_star_imports(modname):
    mod = importlib.import_module(modname)
    assert isinstance(getattr(mod, "__all__", None), list)
    for name in mod.__all__:
        assert hasattr(mod, name)
    tree = ast.parse(Path(mod.__file__).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not any(a.name == "*" for a in node.names)


def _executed_nodes(tree):
    """Every node except those under ``if TYPE_CHECKING:`` (imports for annotations only,
    never executed, so never part of an import cycle)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for sub in node.orelse:
                yield sub
                yield from _executed_nodes(sub)
            continue
        yield node
        yield from _executed_nodes(node)


def _relu_imports(modname):
    """Modules of ``relu`` imported by ``modname`` (module level and inside functions)."""
    mod = importlib.import_module(modname)
    path = Path(mod.__file__)
    package = modname if path.name == "__init__.py" else modname.rsplit(".", 1)[0]
    out = set()
    for node in _executed_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        out |= {n for n in names if n in MODULES and n != modname}
    return out


#: ``(module, imported module)``: delegating methods ("doors", STYLE principle 1) that
#: import the free function of another module inside their body, as in
#: ``tests/test_architecture.py``: ``CGLResult.network`` only calls
#: ``relu.convex.network.cgl_to_relu``; ``CGLResult.optimal_set`` / ``.prune`` only call
#: ``relu.convex.optimal_set.optimal_set`` / ``relu.convex.pruning.prune_optimal``.
DOORS = {("relu.convex.result", "relu.convex.network"),
         ("relu.convex.result", "relu.convex.optimal_set"),
         ("relu.convex.result", "relu.convex.pruning")}


def test_no_import_cycles_inside_relu():
    """Counting imports inside functions too; the package namespaces (``__init__``) only
    re-export and are left out, as in ``tests/test_architecture.py``."""
    packages = {m for m in MODULES if Path(importlib.import_module(m).__file__).name == "__init__.py"}
    graph = {m: {n for n in _relu_imports(m) - packages if (m, n) not in DOORS}
             for m in MODULES if m not in packages}
    state = {}

    def visit(m, stack):
        state[m] = "open"
        for n in sorted(graph.get(m, ())):
            assert state.get(n) != "open", " -> ".join(stack + [m, n])
            if n not in state:
                visit(n, stack + [m])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [])


def test_import_is_light():
    heavy = ["cvxpy", "tqdm", "clarabel", "daqp", "matplotlib", "sympy", "distributed", "sklearn"]
    code = f"import sys, relu; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_exception_tree():
    for exc in (rex.InfeasibleSubproblemError, rex.SolverFailedError, rex.NotFittedError):
        assert issubclass(exc, ZonotopeError)
    assert issubclass(rex.InfeasibleSubproblemError, ValueError)
    assert issubclass(rex.UnattainedInfimumWarning, UserWarning)


def test_the_searches_live_in_one_package():
    assert {"relu.search.random_vertex", "relu.search.local_search",
            "relu.search.gradient_descent"} <= set(MODULES)
    for name in ("random_vertex", "random_pattern", "local_search", "gradient_descent"):
        assert getattr(relu, name) is getattr(relu.search, name)


OPTIMISERS = ["exact_erm", "random_vertex", "local_search", "gradient_descent"]


@pytest.mark.parametrize("name", OPTIMISERS)
def test_one_name_per_concept_in_the_signatures(name):
    params = list(inspect.signature(getattr(relu, name)).parameters.values())
    assert [p.name for p in params[:4]] == ["X", "y", "n_units", "second_layer"]
    assert params[3].default is None
    kw = {p.name: p for p in params if p.kind == p.KEYWORD_ONLY}
    assert kw["loss"].default == "mse" and kw["ridge"].default == 0.0 and kw["bias"].default is True
    for old in ("m", "v", "units", "seed", "random_state"):
        assert old not in kw
    if name != "exact_erm":
        assert "rng" in kw and kw["rng"].default is None


def test_rng_is_the_only_randomness_keyword():
    for name in relu.__all__:
        obj = getattr(relu, name)
        if inspect.isfunction(obj):
            params = inspect.signature(obj).parameters
            assert not any(p in params for p in ("seed", "random_state")), name
