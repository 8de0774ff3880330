"""The layering of the ``zonotope`` package, checked on the source with :mod:`ast`.

Every ``import`` statement counts, at module level or inside a function.  The rules:

* no import cycles among the modules of ``zonotope``;
* a module never imports a module of a higher layer (:data:`LAYERS`); modules of the
  same layer may import each other (without cycles);
* ``zonotope`` never imports ``relu`` (the ReLU layer plugs into the CLI and the
  verify registry through entry points instead).

One named exception, :data:`DOORS`: a method of a value object that only delegates
to the free function of a higher topic module (STYLE principle 1,
``Arrangement.chambers()`` calls ``chambers.enumerate_chambers``) imports it inside
the method.  Such an import is allowed only in the listed methods, and
:func:`test_doors_only_delegate` checks that their bodies do nothing else.  The
door's result type may be named in the module's ``if TYPE_CHECKING:`` block (an import
never executed, so no runtime arrow): such a type-only import is allowed only from a
module that a door of the same module delegates to.

Importing ``zonotope.a.b`` first runs ``zonotope/a/__init__.py``, so such an import
counts as an arrow to ``zonotope.a`` as well.  The package namespace
``zonotope/__init__.py`` re-exports everything and is exempt.

The in-package unit tests (any ``tests/`` directory inside the package, e.g.
``zonotope/tests/``) are not modules of the library: no library module imports them,
so they are left out of the graph and of :data:`LAYERS`.  That they never import
``relu`` and reach only their own package's private names is checked by
``tests/test_public_api.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zonotope

#: Layers from the bottom up: a module may import only from its own layer or below.
#: A package (``general_position``, ``plotting``) puts all its submodules in its layer.
LAYERS = [
    {"exceptions", "_validation", "_balance", "_elimination", "_exact", "_minors", "_lp", "_lp_exact",
     "_checkpoint"},
    {"arrangement"},
    {"_flats", "_sweep", "_lsweep", "patterns", "_enumerate", "chambers", "streaming", "lattice",
     "symmetry", "_orbits"},
    {"zonotope", "skeleton", "chamber_store", "parallel"},
    {"general_position", "equivalence", "perturbation", "library", "io", "summary"},
    {"plotting", "explorer"},
    {"verify", "cli", "__main__"},
]

ROOT = "zonotope"
#: Directories holding in-package unit tests (outside the layering).
TESTS = "tests"

#: ``(module, method, imported module)``: the delegating methods ("doors") allowed to
#: import a higher module inside their body.
DOORS = {
    ("zonotope.arrangement", "Arrangement.chambers", "zonotope.chambers"),
    ("zonotope.arrangement", "Arrangement.count_chambers", "zonotope.chambers"),
    ("zonotope.arrangement", "Arrangement.n_regions", "zonotope.chambers"),
    ("zonotope.arrangement", "Arrangement.n_bounded_regions", "zonotope.lattice"),
    ("zonotope.arrangement", "Arrangement.characteristic_polynomial", "zonotope.lattice"),
    ("zonotope.arrangement", "Arrangement.whitney_numbers", "zonotope.lattice"),
    ("zonotope.arrangement", "Arrangement.poincare_polynomial", "zonotope.lattice"),
    ("zonotope.arrangement", "Arrangement.plot", "zonotope.plotting"),
}


def module_files(pkg_dir):
    """``{dotted module name: path}`` for every ``.py`` file of the package."""
    out = {}
    for path in sorted(Path(pkg_dir).rglob("*.py")):
        rel = path.relative_to(pkg_dir).with_suffix("")
        if TESTS in rel.parts[:-1]:
            continue  # an in-package unit test, not a module of the library
        parts = [ROOT, *rel.parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_package(name, modules, pkg_dir):
    if name not in modules:
        return False
    return (Path(pkg_dir).joinpath(*name.split(".")[1:]) / "__init__.py").exists()


#: The scope name given to the body of an ``if TYPE_CHECKING:`` block.
TYPING = "TYPE_CHECKING"


def _walk(node, scope=()):
    """``(node, qualified name of the enclosing function or class)`` for every node
    (the body of ``if TYPE_CHECKING:`` counts as the scope :data:`TYPING`)."""
    for child in ast.iter_child_nodes(node):
        inner = scope
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = scope + (child.name,)
        yield child, ".".join(scope)
        if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == TYPING:
            for sub in child.body:
                yield sub, ".".join(scope + (TYPING,))
                yield from _walk(sub, scope + (TYPING,))
            for sub in child.orelse:
                yield sub, ".".join(scope)
                yield from _walk(sub, scope)
            continue
        yield from _walk(child, inner)


def imports_of(name, path, modules, pkg_dir):
    """``(absolute name, line, enclosing scope)`` of every import in the module ``name``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if _is_package(name, modules, pkg_dir) else name.rsplit(".", 1)[0]
    found = []
    for node, scope in _walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno, scope) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((target, node.lineno, scope))
            for a in node.names:  # ``from . import _exact`` imports the module _exact
                sub = f"{target}.{a.name}"
                if sub in modules:
                    found.append((sub, node.lineno, scope))
    return found


def import_graph(pkg_dir):
    """``(modules, edges)``: edges ``{(importer, imported): line}`` between package modules,
    plus the list of imports of ``relu`` as ``(importer, name, line)``."""
    modules = module_files(pkg_dir)
    edges, relu = {}, []
    door_targets = {(module, target) for module, _, target in DOORS}
    for name, path in modules.items():
        for target, line, scope in imports_of(name, path, modules, pkg_dir):
            if target.split(".")[0] == "relu":
                relu.append((name, target, line))
            if target.split(".")[0] != ROOT or (name, scope, target) in DOORS:
                continue
            if scope.split(".")[-1] == TYPING and (name, target) in door_targets:
                continue  # the type of a door's result, imported for annotations only
            parts = target.split(".")
            # the module itself (or the nearest existing parent) and every parent package
            for k in range(len(parts), 1, -1):
                t = ".".join(parts[:k])
                if t in modules and t != name and not name.startswith(t + "."):
                    edges.setdefault((name, t), line)
    return modules, edges, relu


def layer_of(name):
    top = name.split(".")[1]
    for k, layer in enumerate(LAYERS):
        if top in layer:
            return k
    return None


def find_cycles(nodes, edges):
    """Strongly connected components with more than one module (Tarjan)."""
    graph = {n: [] for n in nodes}
    for a, b in edges:
        graph[a].append(b)
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            strong(v)
    return out


def violations(pkg_dir):
    """Every broken rule, as readable strings (empty when the layering holds)."""
    modules, edges, relu = import_graph(pkg_dir)
    inner = {n for n in modules if n != ROOT}
    inner_edges = {(a, b): line for (a, b), line in edges.items() if a != ROOT and b != ROOT}
    out = [f"{a} imports {t} (line {line}): zonotope never imports relu" for a, t, line in relu]
    for n in sorted(inner):
        if layer_of(n) is None:
            out.append(f"{n} is in no layer of tests/test_architecture.py: add it to LAYERS")
    for (a, b), line in sorted(inner_edges.items()):
        la, lb = layer_of(a), layer_of(b)
        if la is not None and lb is not None and lb > la:
            out.append(f"{a} (layer {la}) imports {b} (layer {lb}) at line {line}: a lower layer "
                       "may not import a higher one")
    for comp in find_cycles(inner, inner_edges):
        arrows = [f"{a} -> {b} (line {line})" for (a, b), line in sorted(inner_edges.items())
                  if a in comp and b in comp]
        out.append("import cycle among " + ", ".join(comp) + ": " + "; ".join(arrows))
    return out


PKG_DIR = Path(zonotope.__file__).resolve().parent


def test_layer_table_lists_each_module_once():
    tops = [m for layer in LAYERS for m in layer]
    assert len(tops) == len(set(tops))


def test_no_cycles_no_upward_imports_no_relu():
    problems = violations(PKG_DIR)
    assert not problems, "\n".join(problems)


def test_checker_finds_what_it_should(tmp_path):
    """The checker itself: a cycle, an upward import inside a function, relu, an unknown module."""
    pkg = tmp_path / ROOT
    (pkg / "plotting").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .arrangement import A\n")
    (pkg / "arrangement.py").write_text("def f():\n    from .chambers import g\n    return g\n"
                                        "if TYPE_CHECKING:\n    from .cli import L\n")
    (pkg / "chambers.py").write_text("from .lattice import h\nimport relu.network\n")
    (pkg / "lattice.py").write_text("from . import chambers\n")
    (pkg / "plotting" / "__init__.py").write_text("from ._common import x\n")
    (pkg / "plotting" / "_common.py").write_text("from .. import cli\n")
    (pkg / "cli.py").write_text("from .plotting import _common\n")
    (pkg / "mystery.py").write_text("")
    problems = violations(pkg)
    text = "\n".join(problems)
    assert "zonotope.arrangement (layer 1) imports zonotope.chambers (layer 2) at line 2" in text
    # a type-only import is an arrow too, unless it names the type of a door's result
    assert "zonotope.arrangement (layer 1) imports zonotope.cli (layer 6) at line 5" in text
    assert "zonotope.chambers imports relu.network" in text
    assert "import cycle among zonotope.chambers, zonotope.lattice" in text
    assert "zonotope.plotting._common (layer 5) imports zonotope.cli (layer 6)" in text
    assert "import cycle among zonotope.cli, zonotope.plotting, zonotope.plotting._common" in text
    assert "zonotope.mystery is in no layer" in text
    assert len(problems) == 7


def test_doors_only_delegate():
    """Each door is ``docstring; from .<module> import f; return f(self, ...)``."""
    for module, method, target in DOORS:
        path = module_files(PKG_DIR)[module]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        cls_name, meth_name = method.split(".")
        cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name)
        fn = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == meth_name)
        body = [n for n in fn.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        assert len(body) == 2, method
        imp, ret = body
        assert isinstance(imp, ast.ImportFrom) and imp.level == 1 and f"{ROOT}.{imp.module}" == target
        assert isinstance(ret, ast.Return) and isinstance(ret.value, ast.Call)
        assert ret.value.func.id == imp.names[0].name and ret.value.args[0].id == "self"


@pytest.mark.parametrize("name", ["zonotope.general_position._search", "zonotope.plotting.panels"])
def test_subpackage_modules_take_their_package_layer(name):
    assert layer_of(name) == layer_of(name.rsplit(".", 1)[0])


def test_in_package_tests_are_outside_the_layering(tmp_path):
    """``zonotope/tests/`` exists, holds tests, and no library module imports it."""
    test_dir = PKG_DIR / TESTS
    assert sorted(test_dir.glob("test_*.py")), "zonotope/tests/ holds the in-package unit tests"
    modules, edges, _ = import_graph(PKG_DIR)
    assert not any(TESTS in name.split(".") for name in modules)
    # the imports of an in-package test are not arrows of the library graph
    pkg = tmp_path / ROOT
    (pkg / TESTS).mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / TESTS / "__init__.py").write_text("")
    (pkg / TESTS / "test_a.py").write_text("from zonotope import chambers\nimport relu\n")
    (pkg / "chambers.py").write_text("")
    assert violations(pkg) == []


class _Source:
    """A stand-in for a source file, with the given text."""

    def __init__(self, text):
        self.text = text

    def read_text(self, encoding=None):
        return self.text


def test_type_only_imports_of_door_results_are_not_arrows():
    text = ("if TYPE_CHECKING:\n    from .chambers import ChamberSet\n"
            "class Arrangement:\n    def chambers(self):\n"
            "        from .chambers import enumerate_chambers\n        return enumerate_chambers(self)\n")
    modules = {"zonotope.arrangement": None, "zonotope.chambers": None}
    src = _Source(text)
    found = {(t, scope) for t, _, scope in imports_of("zonotope.arrangement", src, modules, PKG_DIR)}
    assert found == {("zonotope.chambers", TYPING), ("zonotope.chambers", "Arrangement.chambers")}
    _, edges, _ = import_graph(PKG_DIR)
    assert ("zonotope.arrangement", "zonotope.chambers") not in edges
