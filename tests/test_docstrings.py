"""Every public function and class has a numpydoc docstring with a runnable example;
every public method is run by a doctest; the public API has type hints.

"Public" means listed in the ``__all__`` of a public package or module of ``zonotope``
or ``relu`` (the top-level namespaces, the subpackages and every module without a
leading underscore in its dotted name; the in-package unit tests, ``*/tests/``, are not
modules of the library).  The ``__all__`` of a private module (``zonotope._exact``,
``relu.qp._types``, ...) lists what its sibling modules may use, not public API; an
object defined there counts once a public ``__all__`` re-exports it.  The public
*members* of a public class are its methods, class/static methods, properties and
cached properties whose names do not start with ``_``, defined in the class itself
(or in a base class of the packages).

* Each public class or function has a docstring with a numpydoc ``Examples`` section
  containing at least one doctest (``>>>``).
* Each public member has a docstring of its own (not inherited from ``object`` or a
  third-party base).  Each public method (not a property) is run by a doctest: its own
  ``Examples`` section or a call ``.name(`` in a doctest of its module (usually the
  class's ``Examples``).  A property is documented by its docstring (numpydoc's
  ``Attributes``); its value shows in the class's examples where it matters.
* Every parameter and the return value of each public function, method and property
  (``__init__``: the parameters) carries a type annotation.

The doctests themselves run in the default suite (``--doctest-modules``).  There is no
allowlist: a new public object must meet the rules when it is added.
"""

from __future__ import annotations

import doctest
import functools
import importlib
import inspect
import pkgutil
import re

import pytest

import relu
import zonotope

PACKAGES = ("zonotope", "relu")


def _modules(package):
    names = [package.__name__]
    names += [m.name for m in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")
              if "tests" not in m.name.split(".")]
    return names


def public_objects():
    """``{canonical name: object}`` for every class/function in some ``__all__``."""
    found = {}
    for package in (zonotope, relu):
        for modname in _modules(package):
            if any(part.startswith("_") for part in modname.split(".")):
                continue  # private modules (and __main__)
            mod = importlib.import_module(modname)
            for name in getattr(mod, "__all__", ()):
                obj = getattr(mod, name)
                if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                    continue
                owner = getattr(obj, "__module__", modname) or modname
                if owner.split(".")[0] not in PACKAGES:
                    continue  # a re-exported third-party object
                found.setdefault(f"{owner}.{obj.__qualname__}", obj)
    return found


def public_members(cls, packages=PACKAGES):
    """``{name: (kind, function)}`` for the public members of a class.

    ``kind`` is ``"method"`` or ``"property"``; ``function`` is the underlying function
    (the getter of a property).  Members inherited from classes outside the packages
    (``object``, ``Exception``, ``NamedTuple``, ...) are not the class's own API.
    """
    out = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.split(".")[0] not in packages:
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_"):
                continue
            if isinstance(attr, (staticmethod, classmethod)):
                out[name] = ("method", attr.__func__)
            elif isinstance(attr, property) and attr.fget is not None:
                out[name] = ("property", attr.fget)
            elif isinstance(attr, functools.cached_property):
                out[name] = ("property", attr.func)
            elif inspect.isfunction(attr):
                out[name] = ("method", attr)
    return out


def _sections(doc):
    """numpydoc section titles: a line underlined by dashes of the same length."""
    lines = doc.splitlines()
    return {lines[i].strip() for i in range(len(lines) - 1)
            if lines[i].strip() and re.fullmatch(r"-{3,}", lines[i + 1].strip())
            and len(lines[i + 1].strip()) == len(lines[i].strip())}


def defect(obj):
    """Why ``obj``'s docstring fails the rule, or ``None``."""
    doc = inspect.getdoc(obj)
    if not doc:
        return "no docstring"
    if "Examples" not in _sections(doc):
        return "no numpydoc 'Examples' section"
    examples = doc.split("Examples\n--------", 1)[1]
    if ">>> " not in examples:
        return "the Examples section has no doctest"
    return None


@functools.lru_cache(maxsize=None)
def module_doctest_source(modname):
    """The source of every doctest example in the module (all its docstrings)."""
    mod = importlib.import_module(modname)
    tests = doctest.DocTestFinder(recurse=True).find(mod, modname)
    return "\n".join(ex.source for t in tests for ex in t.examples)


def member_defect(cls, name, kind, fn):
    """Why a public member fails the rule, or ``None``."""
    if not (fn.__doc__ or "").strip():
        return "no docstring"
    if kind == "property" or defect(fn) is None:
        return None
    calls = re.compile(r"\." + re.escape(name) + r"\s*\(")
    if calls.search(module_doctest_source(fn.__module__)) or calls.search(
            module_doctest_source(cls.__module__)):
        return None
    return f"no doctest calls .{name}( (add an Examples section, or call it in the class's)"


OBJECTS = public_objects()
CLASSES = {name: obj for name, obj in OBJECTS.items() if inspect.isclass(obj)}
MEMBERS = {f"{cname}.{name}": (cls, name, kind, fn)
           for cname, cls in CLASSES.items() for name, (kind, fn) in public_members(cls).items()}


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_public_object_has_a_runnable_example(name):
    problem = defect(OBJECTS[name])
    assert problem is None, f"{name}: {problem}"


def test_public_members_are_documented_and_run():
    bad = [f"{full}: {problem}" for full, member in sorted(MEMBERS.items())
           if (problem := member_defect(*member))]
    assert not bad, "public methods and properties:\n" + "\n".join(bad)


def test_the_walk_sees_the_subpackages():
    """The audit is not vacuous: it reaches subpackage and module ``__all__`` lists."""
    assert "zonotope.verify.run_checks" in OBJECTS
    assert "zonotope.general_position.margin.general_position_margin" in OBJECTS
    assert "relu.exact_erm.exact_erm" in OBJECTS
    assert any(n.startswith("relu.qp.") for n in OBJECTS)
    assert any(n.startswith("zonotope.plotting.") for n in OBJECTS)
    assert not any(".tests." in n for n in OBJECTS)
    assert defect(lambda: None) == "no docstring"
    # ... and the members of the classes: methods, properties, cached properties
    assert MEMBERS["zonotope.zonotope.Zonotope.neighbors"][2] == "method"
    assert MEMBERS["zonotope.arrangement.Arrangement.rank"][2] == "property"
    assert MEMBERS["zonotope.zonotope.Zonotope.from_points"][2] == "method"       # classmethod
    assert "zonotope.explorer.Explorer.select" in MEMBERS
    assert len(MEMBERS) > 250


def test_defect_detector():
    def documented():
        """Do nothing.

        Examples
        --------
        >>> documented()
        """

    def no_doctest():
        """Do nothing.

        Examples
        --------
        Call it.
        """

    assert defect(documented) is None
    assert defect(no_doctest) == "the Examples section has no doctest"


def test_member_detector():
    class Thing:
        """A thing.

        Examples
        --------
        >>> Thing().shown()
        """

        def shown(self):
            """Run in the class's example."""

        def own(self):
            """With its own.

            Examples
            --------
            >>> Thing().own()
            """

        def unrun(self):
            """Never run."""

        def bare(self):
            pass

        @property
        def size(self):
            """A documented property."""
            return 1

    members = public_members(Thing, packages=(__name__.split(".")[0],))
    assert set(members) == {"shown", "own", "unrun", "bare", "size"}
    module_doctest_source.cache_clear()
    try:
        globals()["Thing"] = Thing         # found by the module's doctest finder
        got = {name: member_defect(Thing, name, *members[name]) for name in members}
    finally:
        del globals()["Thing"]
        module_doctest_source.cache_clear()
    assert got["shown"] is None and got["own"] is None and got["size"] is None
    assert got["bare"] == "no docstring"
    assert got["unrun"].startswith("no doctest calls .unrun(")


# ------------------------------------------------------------------ type hints
def missing_annotations(fn, *, init=False):
    """Parameters (other than ``self``/``cls``) and return value without annotations."""
    sig = inspect.signature(fn)
    bare = [p.name for i, p in enumerate(sig.parameters.values())
            if p.annotation is inspect.Parameter.empty and not (i == 0 and p.name in ("self", "cls"))]
    if not init and sig.return_annotation is inspect.Signature.empty:
        bare.append("return")
    return bare


def _callables():
    """``{qualified name: (function, is __init__)}`` for the public API."""
    out = {}
    for name, obj in OBJECTS.items():
        if inspect.isfunction(obj):
            out[name] = (obj, False)
            continue
        init = obj.__dict__.get("__init__")
        if inspect.isfunction(init) and init.__module__.split(".")[0] in PACKAGES:
            out[f"{name}.__init__"] = (init, True)
    for full, (_, _, _, fn) in MEMBERS.items():
        out[full] = (fn, False)
    return out


def test_public_api_has_type_hints():
    missing = [f"{name}: {', '.join(bare)}" for name, (fn, init) in sorted(_callables().items())
               if (bare := missing_annotations(fn, init=init))]
    assert not missing, "public API without type hints (parameter names, 'return'):\n" + "\n".join(missing)


def test_type_hint_checker():
    def typed(a: int, *, b: str = "x") -> None:
        """Typed."""

    def half(a: int, b) -> int:
        """Half typed."""

    class K:
        def __init__(self, a: int):
            """No return annotation needed."""

        def m(self, a):
            """Untyped."""

    assert missing_annotations(typed) == []
    assert missing_annotations(half) == ["b"]
    assert missing_annotations(K.__init__, init=True) == []
    assert missing_annotations(K.m) == ["a", "return"]
    assert "zonotope.arrangement.Arrangement.__init__" in _callables()
