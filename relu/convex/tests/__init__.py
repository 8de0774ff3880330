"""Unit tests of the private modules of :mod:`relu.convex` (run by pytest, not shipped).

See ``docs/architecture.md`` ("Where the tests live").
"""
