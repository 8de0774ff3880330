"""Sphinx configuration: ``python -m sphinx -W --keep-going -b html docs docs/_build/html``.

Sphinx + sphinx-gallery (the ``gallery/`` scripts, executed) + numpydoc (docstrings)
+ myst-parser (the ``.md`` pages), furo theme.  The API reference (``api.md``) is
generated at build time from ``__all__`` (principle 3 of the style guide): no
hand-kept lists.  Pages written by other contributors (``exactness.md``,
``general_position.md``, ``relu.md``) enter the table of contents only if they exist.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import zonotope  # noqa: E402

project = "zonotope"
author = "the zonotope contributors"
copyright = "the zonotope contributors"
release = version = zonotope.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",      # MathJax shipped in the package: math renders offline
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints",
                    "auto_examples/*.ipynb", "auto_examples/**/*.ipynb"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"zonotope {release}"
html_static_path = []

autosummary_generate = False
autodoc_default_options = {"members": False}
autodoc_typehints = "none"
numpydoc_show_class_members = True     # methods and attributes tables in the API pages
numpydoc_class_members_toctree = False
numpydoc_validation_checks = set()

# --------------------------------------------------------------------- gallery
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "gallery"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "plot_gallery": "True",
    "abort_on_example_error": True,
    "min_reported_time": 1000,
}

# ------------------------------------------------ optional pages (written by others)
OPTIONAL_PAGES = [("exactness", "Exactness"), ("general_position", "General position"),
                  ("degenerate", "Degenerate arrangements"), ("relu", "The ReLU layer")]


def _existing_optional():
    return [(name, title) for name, title in OPTIONAL_PAGES if (HERE / f"{name}.md").exists()]


def _optional_toctree():
    return "\n".join(name for name, _ in _existing_optional())


def _unlink_missing(text):
    """``[text](page.md)`` to an optional page that does not exist becomes plain text."""
    present = {name for name, _ in _existing_optional()}
    for name, _ in OPTIONAL_PAGES:
        if name not in present:
            text = re.sub(r"\[([^\]]+)\]\(" + re.escape(name) + r"\.md(#[^)]*)?\)", r"\1", text)
    return text


# ----------------------------------------------------------- API from __all__
def _public_modules(pkg):
    """Submodules of ``pkg`` with an ``__all__`` (non-private), sorted by name."""
    out = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_") or info.name in {"cli"}:
            continue
        try:
            mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
        except ImportError:
            continue
        if isinstance(getattr(mod, "__all__", None), list):
            out.append(mod)
    return sorted(out, key=lambda m: m.__name__)


def _summary(obj):
    """First sentence of the docstring, never cut inside an inline literal."""
    doc = inspect.getdoc(obj) if (inspect.isclass(obj) or callable(obj)) else None
    if not doc:
        return ""
    para = " ".join(doc.split("\n\n")[0].split())
    inside = False
    for i, ch in enumerate(para):
        if para.startswith("``", i):
            inside = not inside
        if ch == "." and not inside and (i + 1 == len(para) or para[i + 1] == " "):
            # skip the second backquote of a pair, handled by startswith above
            return para[: i + 1]
    return para


def _directive(qualname, obj):
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return f".. autoexception:: {qualname}\n"
        return f".. autoclass:: {qualname}\n   :members:\n   :show-inheritance:\n"
    if callable(obj):
        return f".. autofunction:: {qualname}\n"
    return f".. autodata:: {qualname}\n   :no-value:\n"


def _api_section(title, modname, names, seen):
    mod = importlib.import_module(modname)
    entries = []
    for name in names:
        obj = getattr(mod, name)
        key = id(obj) if (inspect.isclass(obj) or callable(obj)) else (modname, name)
        if key in seen:
            continue
        seen.add(key)
        entries.append((name, obj))
    if not entries:
        return ""
    lines = [f"## {title}", "", "```{eval-rst}", f".. currentmodule:: {modname}", "",
             ".. list-table::", "   :widths: 30 70", ""]
    for name, obj in entries:
        lines += [f"   * - :py:obj:`{name} <{modname}.{name}>`", f"     - {_summary(obj)}"]
    lines.append("")
    for name, obj in entries:
        lines.append(_directive(name, obj))
    lines.append("```")
    lines.append("")
    return "\n".join(lines)


def _api_text():
    seen = set()
    parts = [_api_section("`zonotope` (the package namespace)", "zonotope", zonotope.__all__, seen)]
    for mod in _public_modules(zonotope):
        parts.append(_api_section(f"`{mod.__name__}`", mod.__name__, mod.__all__, seen))
    try:
        relu = importlib.import_module("relu")
    except ImportError:
        relu = None
    if relu is not None and isinstance(getattr(relu, "__all__", None), list):
        parts.append(_api_section("`relu` (the ReLU layer)", "relu", relu.__all__, seen))
        for mod in _public_modules(relu):
            parts.append(_api_section(f"`{mod.__name__}`", mod.__name__, mod.__all__, seen))
    return "\n".join(p for p in parts if p)


def _dot_in_literals(app, what, name, obj, options, lines):
    """``w . x`` inside a literal becomes ``w · x``: the member tables of the API reference
    cut summaries at the first ". ", which must not fall inside an inline literal."""
    for k, line in enumerate(lines):
        if "``" in line and " . " in line:
            lines[k] = line.replace(" . ", " · ")


def _generate_figures(app):
    """The pictures the tutorial and theory pages describe, drawn at build time."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = HERE / "_static" / "generated"
    out.mkdir(parents=True, exist_ok=True)
    X = zonotope.figure1_points()
    fig = zonotope.plot_figure1(X, chamber=[0, 1, 1, 0, 1])
    fig.savefig(out / "figure1.png", dpi=80)
    plt.close(fig)
    ex = zonotope.Explorer(X)
    ex.move_point(4, (0.5, 0.5))
    ex.save(out / "explorer.png", dpi=70)
    plt.close(ex.fig)
    fig, axs = plt.subplots(1, 3, figsize=(15, 5), layout="constrained")
    zonotope.plot_arrangement(X, axs[0], side=1)
    zonotope.plot_arrangement(X, axs[1], side=-1)
    zonotope.plot_arrangement(X, axs[2], view="sphere")
    fig.savefig(out / "parameter_space.png", dpi=70)
    plt.close(fig)
    fig = zonotope.plot_figure1([[0], [1], [3]], view="slice")
    fig.savefig(out / "one_dimensional.png", dpi=70)
    plt.close(fig)
    X3 = [[2, 1, 0], [-2, -1, -3], [-3, -3, -2], [2, 1, 3], [0, 1, 3]]
    fig = zonotope.plot_figure1(X3)
    fig.savefig(out / "figure1_3d.png", dpi=70)
    plt.close(fig)
    fig = zonotope.plot_figure1(X3, bias=False)
    fig.savefig(out / "figure1_3d_no_bias.png", dpi=70)
    plt.close(fig)


def _source_read(app, docname, source):
    text = source[0]
    if docname == "index":
        text = text.replace("<!-- optional-pages -->", _optional_toctree())
    if docname == "api":
        text = text.replace("<!-- api-reference -->", _api_text())
    source[0] = _unlink_missing(text)


_TRAILING = re.compile(r"(?<![\w`\\])([A-Za-z]\w*?)_(?![\w`])")
_LITERALS = re.compile(r"(``.*?``|:[\w:]+:`[^`]*`|`[^`]*`)")


def _escape_trailing_underscores(app, what, name, obj, options, lines):
    """``n_units_`` in running text or a type (``shape (n_units_, ...)``) is a fitted
    attribute, not an RST hyperlink reference: escape the underscore.

    Runs before numpydoc.  Leaves alone parameter names at the start of a line,
    inline literals and roles, and doctest lines.
    """
    for j, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith((">>>", "...")):
            continue
        indent = line[: len(line) - len(stripped)]
        head, sep, rest = stripped.partition(" : ")
        parts = _LITERALS.split(rest if sep else stripped)
        parts = [p if (k % 2) else _TRAILING.sub(r"\1\\_", p) for k, p in enumerate(parts)]
        body = "".join(parts)
        if sep:
            lines[j] = indent + head + sep + body
        else:
            # keep a leading identifier (a parameter name on its own line) unescaped
            m = re.match(r"[A-Za-z]\w*_(?=\s*$)", stripped)
            lines[j] = line if m else indent + body


def setup(app):
    app.connect("source-read", _source_read)
    app.connect("autodoc-process-docstring", _escape_trailing_underscores, priority=100)
    app.connect("builder-inited", _generate_figures)
    app.connect("autodoc-process-docstring", _dot_in_literals, priority=90)
