"""The public API of the ReLU layer: __all__, docstrings with examples, layering, errors."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import relu
from relu import exceptions as rex
from zonotope.exceptions import ZonotopeError

PACKAGE_DIR = Path(relu.__file__).parent


def _sections(doc):
    lines = doc.splitlines()
    return {lines[i].strip() for i in range(len(lines) - 1)
            if lines[i].strip() and re.fullmatch(r"-{3,}", lines[i + 1].strip())}


@pytest.mark.parametrize("name", relu.__all__)
def test_public_name_has_a_runnable_examples_section(name):
    obj = getattr(relu, name)
    if not (inspect.isclass(obj) or inspect.isfunction(obj)):
        return   # data (e.g. the LOSSES registry)
    doc = inspect.getdoc(obj)
    assert doc and "Examples" in _sections(doc), f"{name}: no Examples section"
    assert ">>> " in doc.split("Examples\n--------", 1)[1]


def test_all_lists_existing_unique_names():
    assert len(relu.__all__) == len(set(relu.__all__))
    for name in relu.__all__:
        assert hasattr(relu, name)


@pytest.mark.parametrize("modname", sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE_DIR)])))
def test_every_module_declares_all_and_no_star_imports(modname):
    mod = importlib.import_module(f"relu.{modname}")
    assert isinstance(getattr(mod, "__all__", None), list)
    for name in mod.__all__:
        assert hasattr(mod, name)
    path = PACKAGE_DIR / f"{modname}.py"
    tree = ast.parse((path if path.exists() else PACKAGE_DIR / modname / "__init__.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not any(a.name == "*" for a in node.names)


def test_import_is_light():
    heavy = ["cvxpy", "tqdm", "clarabel", "daqp", "matplotlib", "sympy", "distributed"]
    code = f"import sys, relu; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"


def test_exception_tree():
    for exc in (rex.InfeasibleSubproblemError, rex.SolverFailedError, rex.NotFittedError):
        assert issubclass(exc, ZonotopeError)
    assert issubclass(rex.InfeasibleSubproblemError, ValueError)
    assert issubclass(rex.UnattainedInfimumWarning, UserWarning)


def test_rng_is_the_only_randomness_keyword():
    for name in relu.__all__:
        obj = getattr(relu, name)
        if inspect.isfunction(obj):
            params = inspect.signature(obj).parameters
            assert not any(p in params for p in ("seed", "random_state")), name
