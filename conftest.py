"""Settings shared by every test directory (``tests/`` and the in-package ``*/tests/``).

Property tests draw the same examples on every run, so that a fresh install does not
turn red because a new random draw hit an oracle's own failure; explore new draws with
``pytest --hypothesis-profile=explore``.
"""
from hypothesis import settings

settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("default")
