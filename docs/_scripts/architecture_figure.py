"""Draw the layers of the package from the real import graph: ``docs/_static/architecture.png``.

The layer table and the import graph of ``zonotope`` come from
``tests/test_architecture.py`` (the same code that enforces the layering), so the
drawing cannot drift from the rule.  Submodules of a subpackage (``general_position``,
``plotting``) are drawn as one box.  ``relu`` is drawn as the top band; its imports of
``zonotope`` go through the package namespace, and ``zonotope`` reaches ``relu`` only
through the entry points ``zonotope.cli`` and ``zonotope.verify`` (dashed).

Run from the repository root::

    python docs/_scripts/architecture_figure.py
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "_static" / "architecture.png"

#: Boxes of the ReLU layer (a module, a group of modules, or a subpackage).
RELU_GROUPS = [   # first row (nearest zonotope), then the second
    "network, losses,\nresults, exceptions", "cli", "qp/", "subproblem", "verify_checks",
    "exact_erm\n(+ _erm_*, _executor)", "search/", "convex/", "set_cover, reductions,\ndiscontinuity",
    "exact_fit,\nestimators", "experiments/",
]


def load_architecture_test():
    path = ROOT / "tests" / "test_architecture.py"
    spec = importlib.util.spec_from_file_location("test_architecture", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def top(name):
    """``zonotope.general_position.margin`` -> ``general_position``."""
    return name.split(".")[1]


def zonotope_graph(arch):
    modules, edges, _ = arch.import_graph(ROOT / "zonotope")
    nodes = sorted({top(m) for m in modules if m != "zonotope"})
    arrows = {(top(a), top(b)) for a, b in edges if a != "zonotope" and b != "zonotope" and top(a) != top(b)}
    return nodes, arrows


def relu_imports_zonotope():
    """How many ``relu`` modules import ``zonotope``, and how many of them reach past its namespace."""
    users, deep = 0, 0
    for path in (ROOT / "relu").rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        z = {n for n in names if n == "zonotope" or n.startswith("zonotope.")}
        users += bool(z)
        deep += any(n != "zonotope" for n in z)
    return users, deep


def draw():
    arch = load_architecture_test()
    nodes, arrows = zonotope_graph(arch)
    layers = [sorted(n for n in nodes if arch.layer_of(f"zonotope.{n}") == k)
              for k in range(len(arch.LAYERS))]
    names = ["0  kernel: errors, validation, exact arithmetic, LP, checkpoints", "1  the arrangement",
             "2  chambers: sweep, lattice, patterns, streaming", "3  objects built on chambers",
             "4  topics: genericity, equivalence, perturbation, io, library", "5  drawing",
             "6  front doors: verify registry, CLI"]
    width, dy = 19.0, 1.25
    fig, ax = plt.subplots(figsize=(17, 11.5))
    pos = {}
    for k, layer in enumerate(layers):
        yk = k * dy
        ax.add_patch(FancyBboxPatch((-0.3, yk - 0.42), width + 0.6, 0.84, boxstyle="round,pad=0.02",
                                    fc="#eef3fb" if k % 2 else "#f7f9fd", ec="#c5d3ea", lw=0.8, zorder=0))
        ax.text(-0.45, yk, names[k], ha="right", va="center", fontsize=9, color="#2b4a7a")
        n = len(layer)
        for j, m in enumerate(layer):
            x = width * (j + 0.5) / n
            pos[m] = (x, yk)
            pkg = (ROOT / "zonotope" / m).is_dir()
            label = m + ("/" if pkg else ".py")
            ax.text(x, yk, label, ha="center", va="center", fontsize=9.5, zorder=3,
                    family="monospace", fontweight="bold" if not m.startswith("_") else "normal",
                    bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#4a6fa5" if pkg else "#8aa2c8",
                              lw=1.4 if pkg else 0.9))
    for a, b in sorted(arrows):
        (xa, ya), (xb, yb) = pos[a], pos[b]
        same = abs(ya - yb) < 1e-9
        ax.add_patch(FancyArrowPatch((xa, ya - (0 if same else 0.2)), (xb, yb + (0 if same else 0.2)),
                                     arrowstyle="-|>", mutation_scale=7, lw=0.6, color="#7d8ca3", alpha=0.55,
                                     connectionstyle="arc3,rad=0.35" if same else "arc3,rad=0.0",
                                     shrinkA=14 if same else 2, shrinkB=14 if same else 2, zorder=1))
    # the ReLU layer
    yr = len(layers) * dy + 0.9
    ax.add_patch(FancyBboxPatch((-0.3, yr - 0.75), width + 0.6, 1.5, boxstyle="round,pad=0.02",
                                fc="#fdf1e6", ec="#e2b58a", lw=0.8, zorder=0))
    ax.text(-0.45, yr, "relu  (imports zonotope;\nzonotope never imports relu)", ha="right", va="center",
            fontsize=9, color="#8a4b12")
    rpos = {}
    half = (len(RELU_GROUPS) + 1) // 2
    for j, label in enumerate(RELU_GROUPS):
        row, col = divmod(j, half)
        x = width * (col + 0.5 + 0.5 * row) / half
        rpos[label] = (x, yr - 0.35 + 0.7 * row)
        ax.text(*rpos[label], label, ha="center", va="center", fontsize=8, family="monospace", zorder=3,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="#d08a4a", lw=0.9))
    users, deep = relu_imports_zonotope()
    ax.annotate("", xy=(width * 0.42, (len(layers) - 1) * dy + 0.45), xytext=(width * 0.42, yr - 0.8),
                arrowprops=dict(arrowstyle="simple,head_width=1.2,tail_width=0.5", fc="#e2b58a", ec="none"))
    ax.text(width * 0.42 + 0.3, yr - 1.05,
            f"{users} relu modules import zonotope\n({deep} of them a submodule)",
            fontsize=8.5, color="#8a4b12", va="center", ha="left")
    plugins = (("cli", "cli", "zonotope.cli"), ("verify", "verify_checks", "zonotope.verify"))
    for zmod, rlabel, group in plugins:
        (xz, yz), (xr, yrr) = pos[zmod], rpos[rlabel]
        ax.add_patch(FancyArrowPatch((xz, yz + 0.2), (xr, yrr - 0.3), arrowstyle="-|>", mutation_scale=10,
                                     lw=1.3, ls="--", color="#b8612a", connectionstyle="arc3,rad=0.0",
                                     zorder=2))
        ax.text(xz + 0.15, yz + 0.62, f"entry-point group '{group}'", fontsize=8,
                color="#b8612a", ha="left")
    ax.set_xlim(-5.0, width + 0.5)
    ax.set_ylim(-0.9, yr + 0.95)
    ax.axis("off")
    ax.set_title("Layers of the toolkit: a module imports only from its own layer or below "
                 "(the real import graph, imports inside functions included)", fontsize=11)
    fig.tight_layout()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=110)
    return OUT


if __name__ == "__main__":
    print(draw())
