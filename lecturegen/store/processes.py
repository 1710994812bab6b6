"""Store layer: the one way lecturegen works in other processes — a spawn-context ProcessPoolExecutor.

Used for chart pictures (`store/charts.py`) and for one deck per audience (`commands/building.py::build_many`).

- **spawn**, not fork: a forked worker counts the build's own pages in its resident set, and forking a process
  that runs threads may deadlock. Spawn imports the parent's `__main__` again in each worker: `python -m
  lecturegen` and the `lecturegen` command are guarded (an imported `__main__` runs nothing); a script that
  builds without a main guard breaks the pool (`BrokenProcessPool`), and its callers then carry on in the
  main process.
- **Ctrl-C is the parent's**: a terminal sends SIGINT to the whole process group, workers included. Workers
  ignore it (the parent says it once and ends them), and they are started with SIGINT blocked, so that one
  arriving while a worker is still starting (before it could ignore it) is no KeyboardInterrupt traceback.
- **Stopping early** (an error, Ctrl-C) kills the workers: nothing waits for work nobody will use.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # concurrent.futures costs ~8 ms to import: only where a pool starts
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")


def start_pool(workers: int, setup: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of at most `workers` spawned processes, each running `setup` (a module-level function) first.

    Processes start on the first `submit`, not here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_starts, initargs=(setup,))


def submit(pool: ProcessPoolExecutor, function: Callable[..., T], *args: object) -> Future[T]:
    """`pool.submit`, with SIGINT blocked meanwhile: a worker it starts inherits the blocked signal."""
    with _sigint_blocked():
        return pool.submit(function, *args)


def stop(pool: ProcessPoolExecutor, wait: bool) -> None:
    """Shut the pool down: after the work submitted when `wait`, else at once, its workers killed."""
    if wait:
        pool.shutdown(wait=True)
        _stop_resource_tracker()
        return
    # The executor keeps its processes privately; without them an unfinished worker would be waited for.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass  # already ended (or closed)
    for process in processes:
        try:
            process.join(timeout=10)
        except (OSError, ValueError, AssertionError):
            pass
    _stop_resource_tracker()


def _stop_resource_tracker() -> None:
    """The helper process multiprocessing starts beside a spawn pool ends with its pool, not some moments after
    the command (which would leave a process of the command's group behind it). The next pool starts another."""
    from multiprocessing import resource_tracker

    tracker = getattr(resource_tracker, "_resource_tracker", None)
    stopping = getattr(tracker, "_stop", None)  # CPython's own shutdown of it (3.8 and later)
    if callable(stopping):
        try:
            stopping()
        except (OSError, ChildProcessError):
            pass  # already gone


def _worker_starts(setup: Callable[[], None] | None) -> None:
    """In each worker, before any work: Ctrl-C ignored (the parent handles it), then the caller's setup."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # ignored now: a pending one is dropped
    if setup is not None:
        setup()


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        # A Ctrl-C that came meanwhile is delivered here, to the parent, once.
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
