"""The public API: explicit ``__all__``, documented names, layering, exception tree.

* (Docstrings with runnable examples, for every public ``__all__`` of both packages,
  are checked by ``tests/test_docstrings.py``.)
* Every module of the package declares ``__all__`` and every listed name exists.
* ``import zonotope`` loads no heavy optional dependency and never the ``relu`` layer.
"""

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

import zonotope
import zonotope.library

PACKAGE_DIR = Path(zonotope.__file__).parent


def test_all_lists_existing_unique_names():
    for mod in (zonotope, zonotope.library):
        assert len(mod.__all__) == len(set(mod.__all__))
        for name in mod.__all__:
            assert hasattr(mod, name), f"{mod.__name__}.__all__ lists missing {name!r}"


def _modules():
    """The modules of ``zonotope`` (not its in-package unit tests, ``zonotope/tests/``)."""
    return sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE_DIR)]) if m.name != "tests")


@pytest.mark.parametrize("modname", _modules())
def test_every_module_declares_all(modname):
    mod = importlib.import_module(f"zonotope.{modname}")
    assert isinstance(getattr(mod, "__all__", None), list), f"zonotope.{modname} has no __all__"
    for name in mod.__all__:
        assert hasattr(mod, name), f"zonotope.{modname}.__all__ lists missing {name!r}"


def test_package_exports_are_explicit():
    """No star imports anywhere in the package (principle 3)."""
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not any(a.name == "*" for a in node.names), f"star import in {path.name}"


def test_geometry_layer_never_imports_relu():
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            assert not any(n == "relu" or n.startswith("relu.") for n in names), \
                f"{path.name} imports relu"


def test_import_is_light():
    heavy = ["relu", "cvxpy", "sympy", "networkx", "matplotlib", "tqdm", "clarabel", "daqp"]
    code = ("import sys, zonotope, zonotope.library; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]", f"imported at import time: {res.stdout.strip()}"


def test_exception_tree():
    for name in ["ValidationError", "DegenerateArrangementError", "GeneralPositionError",
                 "EmptyChamberError", "TooLargeError"]:
        exc = getattr(zonotope, name)
        assert issubclass(exc, zonotope.ZonotopeError)
    for name in ["ValidationError", "DegenerateArrangementError", "GeneralPositionError",
                 "EmptyChamberError"]:
        assert issubclass(getattr(zonotope, name), ValueError)


def test_version():
    assert isinstance(zonotope.__version__, str) and re.fullmatch(r"\d+\.\d+\.\d+.*",
                                                                  zonotope.__version__)


def test_library_functions_take_rng_keyword():
    """Randomness through one keyword ``rng`` (principle 11)."""
    for name in zonotope.library.__all__:
        fn = getattr(zonotope.library, name)
        params = inspect.signature(fn).parameters
        if any(p in params for p in ("seed", "random_state")):
            pytest.fail(f"{name} takes a seed parameter other than rng")
    for name in ("generic_arrangement", "generic_points"):
        p = inspect.signature(getattr(zonotope.library, name)).parameters["rng"]
        assert p.default is None


# ------------------------------------------------------------------ tests speak the public API
# Two places hold tests.  ``tests/`` speaks the public API only: no private name at all.
# The unit tests of private modules live inside the package they test (the numpy/scipy
# convention: ``zonotope/tests/``, ``relu/convex/tests/``); they may reach the private
# names of their own top-level package and of no other, and ``zonotope``'s tests never
# import ``relu`` (the geometry layer never depends on the ReLU layer).
TESTS_DIR = Path(__file__).parent
REPO = TESTS_DIR.parent
PACKAGES = ("zonotope", "relu")


def _is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _owner(dotted):
    """The top-level package of a dotted name, if it is one of :data:`PACKAGES`."""
    top = dotted.split(".")[0]
    return top if top in PACKAGES else None


def private_reaches(path):
    """``(line, private name, owning package)`` for every reach into a private name.

    Found with :mod:`ast`: imports of private modules (``zonotope._exact``) or of private
    names (``from zonotope.chambers import _x``), attribute access ``obj._x`` on anything
    but ``self``/``cls``, and private names given as strings to ``getattr``/``setattr``/
    ``monkeypatch.setattr`` (``"zonotope.chambers._x"`` or ``(module, "_x")``).  The
    owning package is ``"zonotope"`` or ``"relu"`` when it can be read off the code (an
    import, a dotted string, or an attribute of a name bound by ``import`` to a module
    of the package), else ``None`` (an attribute of some other object).
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    bound = {}      # local name -> package, for names bound by imports of package modules
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if _owner(a.name):
                    bound[a.asname or a.name.split(".")[0]] = _owner(a.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _owner(node.module):
            for a in node.names:
                bound[a.asname or a.name] = _owner(node.module)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] in PACKAGES and any(map(_is_private, parts)):
                    out.append((node.lineno, a.name, parts[0]))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] not in PACKAGES:
                continue
            if any(map(_is_private, parts)):
                out.append((node.lineno, node.module, parts[0]))
            out += [(node.lineno, a.name, parts[0]) for a in node.names if _is_private(a.name)]
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                owner = bound.get(base.id) if isinstance(base, ast.Name) else None
                out.append((node.lineno, node.attr, owner))
        elif isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name not in ("getattr", "setattr", "delattr", "hasattr", "delitem"):
                continue
            target = node.args[0] if node.args else None
            owner = bound.get(target.id) if isinstance(target, ast.Name) else None
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    parts = arg.value.split(".")
                    if len(parts) == 1 and _is_private(parts[0]):
                        out.append((node.lineno, arg.value, owner))
                    elif parts[0] in PACKAGES and any(map(_is_private, parts)):
                        out.append((node.lineno, arg.value, parts[0]))
    return sorted(out, key=lambda r: (r[0], r[1]))


def imported_packages(path):
    """The top-level packages of :data:`PACKAGES` that the file imports."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {_owner(a.name) for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(_owner(node.module))
    return found - {None}


def in_package_test_files(repo=REPO):
    """``{path: own top-level package}`` for the test files inside the packages."""
    return {p: p.relative_to(repo).parts[0]
            for pkg in PACKAGES for p in sorted((repo / pkg).rglob("*.py"))
            if "tests" in p.relative_to(repo / pkg).parts}


def in_package_problems(path, own, repo=REPO):
    """Why an in-package test file breaks the rule (empty when it keeps it)."""
    rel = path.relative_to(repo).as_posix()
    bad = [f"{rel}:{line}: {name} (private name of {owner})"
           for line, name, owner in private_reaches(path) if owner not in (own, None)]
    if own == "zonotope" and "relu" in imported_packages(path):
        bad.append(f"{rel}: imports relu (zonotope never imports relu, not even in its tests)")
    return bad


def _test_files():
    return sorted(p for p in TESTS_DIR.rglob("*.py") if p.name != "test_public_api.py")


def test_tests_reach_no_private_names():
    bad = []
    for path in _test_files():
        rel = path.relative_to(TESTS_DIR).as_posix()
        bad += [f"tests/{rel}:{line}: {name}" for line, name, _ in private_reaches(path)]
    assert not bad, ("tests/ reaches private names (use the public API, or move the unit test "
                     "next to the private module, into its package's tests/):\n" + "\n".join(bad))


def test_in_package_tests_reach_only_their_own_package():
    files = in_package_test_files()
    assert any(own == "zonotope" for own in files.values())   # the walk is not vacuous
    assert any(own == "relu" for own in files.values())
    bad = [msg for path, own in files.items() for msg in in_package_problems(path, own)]
    assert not bad, "\n".join(bad)


def test_in_package_tests_are_collected():
    """pytest collects the in-package tests from the repository root (``testpaths``)."""
    tomllib = pytest.importorskip("tomllib")
    tool = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]
    dirs = {p.relative_to(REPO).parts[0] for p in in_package_test_files()}
    assert dirs <= set(tool["pytest"]["ini_options"]["testpaths"])
    # not shipped in the wheel (they need the `test` extra; see docs/architecture.md)
    assert {"*.tests", "*.tests.*"} <= set(tool["setuptools"]["packages"]["find"]["exclude"])


def test_private_reach_finder(tmp_path):
    src = tmp_path / "test_x.py"
    src.write_text(
        "import zonotope._exact\n"
        "from zonotope._minors import MinorScan\n"
        "from zonotope.chambers import _as_central, iter_chambers\n"
        "import zonotope.chambers as ch\n"
        "x = ch._AUX_BOUND\n"
        "y = self._fine\n"
        "def t(monkeypatch):\n"
        "    monkeypatch.setattr(ch, '_stream_pieces', None)\n"
        "    monkeypatch.setattr('zonotope.parallel._AUX_BOUND', 3)\n"
        "    monkeypatch.setattr(ch, 'iter_chambers', None)\n"
        "from zonotope import Arrangement\n"
        "z = Arrangement.__init__\n"
        "from relu.convex import _cone\n"
        "q = obj._hidden\n")
    assert private_reaches(src) == [
        (1, "zonotope._exact", "zonotope"), (2, "zonotope._minors", "zonotope"),
        (3, "_as_central", "zonotope"), (5, "_AUX_BOUND", "zonotope"),
        (8, "_stream_pieces", "zonotope"), (9, "zonotope.parallel._AUX_BOUND", "zonotope"),
        (13, "_cone", "relu"), (14, "_hidden", None)]
    assert imported_packages(src) == {"zonotope", "relu"}
    # as an in-package test of zonotope: the relu reach and the relu import are flagged
    pkg = tmp_path / "zonotope" / "tests"
    pkg.mkdir(parents=True)
    inner = pkg / "test_y.py"
    inner.write_text(src.read_text())
    assert in_package_test_files(tmp_path) == {inner: "zonotope"}
    assert in_package_problems(inner, "zonotope", tmp_path) == [
        "zonotope/tests/test_y.py:13: _cone (private name of relu)",
        "zonotope/tests/test_y.py: imports relu (zonotope never imports relu, not even in its tests)"]
