"""Searches over the vertices of ``Z^m`` and the gradient-descent baseline.

One module per method, each a free function returning a :class:`relu.FitResult`;
the experiments build on them:

* :func:`random_vertex` / :func:`random_pattern` (``random_vertex.py``): Section 4.2
  of Matena & Raffel (2022) -- solve problem (3) at the vertex of a random
  initialisation;
* :func:`local_search` (``local_search.py``): greedy local search over single-flip
  neighbours (GLS, Algorithm 2);
* :func:`gradient_descent` (``gradient_descent.py``): plain full-batch gradient
  descent on the first layer.

Every search takes ``bias=True|False`` (hidden units with or without a bias) and one
``rng`` keyword.

Examples
--------
>>> from relu.search import random_vertex
>>> r = random_vertex([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0], 1, [1.0, 0.0], rng=0)
>>> r.method, r.n_solves
('random_vertex', 1)
"""

from .gradient_descent import gradient_descent
from .local_search import local_search
from .random_vertex import random_pattern, random_vertex

__all__ = ["random_vertex", "random_pattern", "local_search", "gradient_descent"]
