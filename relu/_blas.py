"""Single-threaded BLAS for the many small dense solves (optional threadpoolctl).

OpenBLAS' thread pool costs more than it saves on the ``n <= 1000`` matrices of the
subproblems: on a 2-core machine with another busy process a 144 x 144 Cholesky
took 2 ms with threads and 0.1 ms without.  The loops of :mod:`relu` therefore run
inside :func:`single_threaded_blas`, which uses ``threadpoolctl`` when installed and
is a no-op otherwise (set ``OPENBLAS_NUM_THREADS=1`` in that case).
"""

from __future__ import annotations

import contextlib

__all__ = ["single_threaded_blas"]


@contextlib.contextmanager
def single_threaded_blas():
    """Limit BLAS/LAPACK to one thread inside the block (no-op without threadpoolctl).

    Examples
    --------
    >>> with single_threaded_blas():
    ...     pass
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional dependency
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
