"""``python -m zonotope``: the same command line as the ``zonotope`` script."""

import sys

from .cli import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover - exercised by tests/test_cli.py in a subprocess
    sys.exit(main())
