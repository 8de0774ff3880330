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
    return sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE_DIR)]))


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
TESTS_DIR = Path(__file__).parent
PACKAGES = ("zonotope", "relu")

#: ``(test file relative to tests/, private name)``: the justified reaches into private
#: names.  Everything else in ``tests/`` must go through the public API.
PRIVATE_REACH_ALLOWED = {
    # Unit tests of the one exact-arithmetic kernel (filtered determinant/dot-product
    # signs, fraction-free elimination): the public predicates reach these only through
    # several layers, and a wrong bit must be pinned to the kernel, not to a chamber count.
    ("zonotope/test_exact.py", "zonotope._exact"),
    ("zonotope/test_minors.py", "zonotope._exact"),
    # Unit tests of the internal minor scanner (every maximal minor's certified sign),
    # moved here from test_general_position.py; the public face is the general-position
    # and chirotope functions, which have their own tests.
    ("zonotope/test_minors.py", "zonotope._minors"),
    # Fault injection: a tiny bound on the auxiliary integers makes the rare degenerate
    # draw frequent, so the restart/recovery path runs; no public input reaches it
    # deterministically.  The spy counts the recoveries of that path.
    ("zonotope/test_iter_chambers.py", "_stream_pieces"),
    ("zonotope/test_iter_chambers.py", "_AUX_BOUND"),
    ("zonotope/test_parallel.py", "_AUX_BOUND"),
    # The streaming pricing pass (table lookups on packed sign rows) is checked against
    # the plain per-pattern cone projection over the listed program, its own oracle.
    ("relu/convex/test_convex.py", "relu.convex._cone"),
    # The internal exact lattice count behind the size guard, checked against closed
    # forms and both enumerators (the guard itself is tested through the public API).
    ("zonotope/test_lsweep_degen2.py", "zonotope._lsweep"),
    # degen3 (issue 15): the power-of-two column balancing is exact, and scaled data need
    # no LP repair of the sweep's points (to be moved with the other internal tests).
    ("zonotope/test_scaling_internal.py", "_exact"),
    ("zonotope/test_scaling_internal.py", "_lp"),
    # --- TEMPORARY (polish, issue 11): tests of files other helpers were editing; the
    # owners move them to the public API, then the lead deletes these lines.
    ("zonotope/test_plotting.py", "zonotope.plotting._arrangement"),   # layout geometry
    ("zonotope/test_plotting.py", "zonotope.plotting._style"),
    ("zonotope/test_plotting.py", "zonotope.plotting._zonotope"),
    ("zonotope/test_explorer.py", "_arr"),                             # click targets
    ("zonotope/test_explorer.py", "_zlay"),
}


def _is_private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_reaches(path):
    """``(line, private name)`` for every reach into a private name of the packages.

    Found with :mod:`ast`: imports of private modules (``zonotope._exact``) or of private
    names (``from zonotope.chambers import _x``), attribute access ``obj._x`` on anything
    but ``self``/``cls``, and private names given as strings to ``getattr``/``setattr``/
    ``monkeypatch.setattr`` (``"zonotope.chambers._x"`` or ``(module, "_x")``).
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] in PACKAGES and any(map(_is_private, parts)):
                    out.append((node.lineno, a.name))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] not in PACKAGES:
                continue
            if any(map(_is_private, parts)):
                out.append((node.lineno, node.module))
            out += [(node.lineno, a.name) for a in node.names if _is_private(a.name)]
        elif isinstance(node, ast.Attribute) and _is_private(node.attr):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                out.append((node.lineno, node.attr))
        elif isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name not in ("getattr", "setattr", "delattr", "hasattr", "delitem"):
                continue
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    parts = arg.value.split(".")
                    if (len(parts) == 1 and _is_private(parts[0])) or (
                            parts[0] in PACKAGES and any(map(_is_private, parts))):
                        out.append((node.lineno, arg.value))
    return out


def _test_files():
    return sorted(p for p in TESTS_DIR.rglob("*.py") if p.name != "test_public_api.py")


def test_tests_reach_no_private_names():
    bad = []
    for path in _test_files():
        rel = path.relative_to(TESTS_DIR).as_posix()
        for line, name in private_reaches(path):
            if (rel, name) not in PRIVATE_REACH_ALLOWED:
                bad.append(f"tests/{rel}:{line}: {name}")
    assert not bad, "tests reach private names (use the public API):\n" + "\n".join(bad)


def test_private_reach_allowlist_is_not_stale():
    used = {(p.relative_to(TESTS_DIR).as_posix(), name)
            for p in _test_files() for _, name in private_reaches(p)}
    assert not PRIVATE_REACH_ALLOWED - used, sorted(PRIVATE_REACH_ALLOWED - used)


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
        "z = Arrangement.__init__\n")
    assert private_reaches(src) == [
        (1, "zonotope._exact"), (2, "zonotope._minors"), (3, "_as_central"), (5, "_AUX_BOUND"),
        (8, "_stream_pieces"), (9, "zonotope.parallel._AUX_BOUND")]

