"""Where the chunks of exact ERM run: inline, in worker processes, or on any executor (internal).

* :class:`InlineExecutor` runs a task when it is submitted (the serial path).
* :class:`WorkerPool` is a ``concurrent.futures.ProcessPoolExecutor`` whose workers
  **die with their parent**: on Linux the pool initializer asks the kernel for
  ``SIGKILL`` when the parent dies (``prctl(PR_SET_PDEATHSIG)`` through
  :mod:`ctypes`), and on every platform a daemon thread in each worker polls its
  parent and exits when it is gone.  Workers ignore ``SIGINT``: Ctrl-C reaches the
  parent, which saves its checkpoint and then stops the workers
  (:meth:`WorkerPool.close` with ``abort=True``) instead of waiting for their chunks.
* Any other object with ``submit(fn, *args)`` (a ``dask.distributed.Client``, a
  user's executor) is used as it is.

:func:`open_executor` picks one from the ``workers``/``executor`` arguments.

Examples
--------
>>> with open_executor(None, None, "demo") as ex:
...     ex.submit(pow, 2, 10).result(), ex.n_workers
(1024, 1)
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

from ._checks import check_workers, fail
from .exceptions import WorkerError

__all__ = ["InlineExecutor", "WorkerPool", "open_executor", "n_workers_of"]

_PR_SET_PDEATHSIG = 1


class _Done:
    """A finished future (the result or the exception of an inline call)."""

    def __init__(self, value=None, error=None):
        self._value, self._error = value, error

    def result(self):
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self):
        return False


class InlineExecutor:
    """Run every submitted call at once, in the caller (the serial path).

    Examples
    --------
    >>> InlineExecutor().submit(divmod, 7, 2).result()
    (3, 1)
    """

    n_workers = 1

    def submit(self, fn, *args):
        return _Done(fn(*args))

    def close(self, *, abort=False):
        """Nothing to release."""


def _watch_parent(parent_pid, first_ppid):
    while True:
        time.sleep(1.0)
        gone = os.getppid() != first_ppid
        if not gone and parent_pid != first_ppid:
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                gone = True
            except PermissionError:  # pragma: no cover - a foreign process reused the PID
                gone = True
        if gone:
            os._exit(1)


def _worker_init(parent_pid):
    """Pool initializer: ignore Ctrl-C and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: the thread below
            pass
    first_ppid = os.getppid()
    if first_ppid == 1 or (first_ppid != parent_pid and not _alive(parent_pid)):
        os._exit(1)  # the parent died before the guard was in place
    threading.Thread(target=_watch_parent, args=(parent_pid, first_ppid), daemon=True,
                     name="relu-parent-watch").start()


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover
        return True
    return True


class _PoolFuture:
    """A pool future whose ``result()`` turns a dead worker into :class:`WorkerError`."""

    def __init__(self, fut):
        self._fut = fut

    def result(self):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._fut.result()
        except BrokenProcessPool as exc:
            raise WorkerError("a worker process of the exact-ERM run died (killed, or out of "
                              "memory); the finished chunks are saved in the checkpoint, if one "
                              "was given: rerun to resume") from exc

    def cancel(self):
        return self._fut.cancel()


class WorkerPool:
    """Worker processes for exact ERM that die with their parent.

    Parameters
    ----------
    n_workers : int

    Examples
    --------
    >>> pool = WorkerPool(1)
    >>> pool.submit(pow, 3, 2).result()
    9
    >>> pool.close()
    """

    def __init__(self, n_workers):
        from concurrent.futures import ProcessPoolExecutor

        self.n_workers = int(n_workers)
        self._pool = ProcessPoolExecutor(self.n_workers, initializer=_worker_init,
                                         initargs=(os.getpid(),))

    def submit(self, fn, *args):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return _PoolFuture(self._pool.submit(fn, *args))
        except BrokenProcessPool as exc:
            raise WorkerError("a worker process of the exact-ERM run died (killed, or out of "
                              "memory); the finished chunks are saved in the checkpoint, if one "
                              "was given: rerun to resume") from exc

    def close(self, *, abort=False):
        """Shut the pool down; ``abort=True`` cancels queued tasks and kills the workers."""
        if not abort:
            self._pool.shutdown(wait=True)
            return
        procs = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            with contextlib.suppress(Exception):
                p.kill()
        for p in procs:
            with contextlib.suppress(Exception):
                p.join(5.0)


def n_workers_of(executor):
    """How many tasks ``executor`` runs at once (a guess for foreign executors)."""
    n = getattr(executor, "n_workers", None) or getattr(executor, "_max_workers", None)
    if n is None and hasattr(executor, "ncores"):  # dask.distributed.Client
        with contextlib.suppress(Exception):
            n = sum(executor.ncores().values())
    return max(1, int(n or 2))


@contextlib.contextmanager
def open_executor(workers, executor, func):
    """Yield the executor for ``workers`` (None/1: inline) or the given ``executor``.

    On leaving the block normally the pool is shut down after its tasks; on an
    exception (including ``KeyboardInterrupt``) its workers are killed at once.
    """
    workers = check_workers(workers, func)
    if executor is not None:
        if not hasattr(executor, "submit"):
            fail("executor", func, "an object with a submit(fn, *args) method (concurrent.futures "
                 "executor or dask.distributed Client)", type(executor).__name__)
        if workers is not None:
            fail("workers", func, "None when an `executor` is given", repr(workers))
        yield executor
        return
    ex = WorkerPool(workers) if workers is not None and workers > 1 else InlineExecutor()
    ok = False
    try:
        yield ex
        ok = True
    finally:
        ex.close(abort=not ok)
