"""Figure 1-style diagrams: data, arrangement, zonotope (the only matplotlib package).

Every diagram uses one colour per chamber, taken from :func:`chamber_colors` and
indexed like the chambers: chamber ``k`` of the data arrangement is the normal cone of
vertex ``k`` of the zonotope (``Zonotope.vertices[k]`` belongs to
``Zonotope.chambers.sign_vectors[k]``), so a region of the parameter-space picture and
a vertex of the zonotope picture with the same colour are the same activation
pattern.  Conventions (see ``docs/theory.md``): ``x_bar_i = (x_i, 1)``; hyperplane
``H_i = {w : w . x_bar_i = 0}``; the positive side is "unit active on example i";
vertex ``k`` is ``sum_{i active} x_bar_i``.

matplotlib (and plotly, for :func:`export_html`) is imported inside the functions,
never at ``import zonotope`` time.  The 3-D zonotope is drawn by an exact orthographic
projection onto an ordinary 2-D axes (hidden edges dashed), which gives
deterministic, print-quality figures; :func:`export_html` writes a rotatable 3-D view.

Layout: :mod:`~zonotope.plotting.colors` (chamber colours, pattern labels),
:mod:`~zonotope.plotting.panels` (the single matplotlib panels),
:mod:`~zonotope.plotting.figure1` (the three panels together) and
:mod:`~zonotope.plotting.html` (plotly export); the layouts and drawing code of the
arrangement and zonotope panels (``_arrangement``, ``_zonotope``) and the shared
helpers (``_common``, ``_style``) are private modules, shared with
:mod:`zonotope.explorer`.
"""

from .colors import chamber_colors, pattern_label
from .figure1 import plot_figure1
from .html import export_html
from .panels import plot_arrangement, plot_points, plot_power, plot_skeleton, plot_zonotope

__all__ = [
    "chamber_colors",
    "pattern_label",
    "plot_points",
    "plot_arrangement",
    "plot_zonotope",
    "plot_skeleton",
    "plot_power",
    "plot_figure1",
    "export_html",
]
