"""Unit tests of the private modules of :mod:`zonotope` (run by pytest, not shipped).

The tests in ``tests/`` use the public API only; tests that must reach a private
module (the exact kernel, fault injection into the streaming sweep) live here,
inside the package they test.  See ``docs/architecture.md``.
"""
