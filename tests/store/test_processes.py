"""Tests for the one worker-process mechanism: spawned workers that ignore Ctrl-C and die without a hang."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from lecturegen.store.processes import start_pool, stop, submit


def _pid() -> int:
    return os.getpid()


def _sigint_ignored() -> bool:
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _interrupted_then_pid() -> int:
    os.kill(os.getpid(), signal.SIGINT)  # as a terminal's Ctrl-C reaches the whole process group
    time.sleep(0.2)
    return os.getpid()


def _lost() -> int:
    os._exit(9)  # killed mid-task (out of memory, a stray signal)


def test_a_worker_ignores_ctrl_c_which_is_the_parents_to_handle() -> None:
    pool = start_pool(1)
    try:
        assert submit(pool, _sigint_ignored).result(timeout=120)
        worker = submit(pool, _pid).result(timeout=120)
        assert submit(pool, _interrupted_then_pid).result(timeout=120) == worker  # still the same, alive
    finally:
        stop(pool, wait=True)


def test_a_lost_worker_breaks_the_pool_and_stopping_early_kills_the_rest() -> None:
    pool = start_pool(2)
    try:
        started = submit(pool, _pid), submit(pool, _pid)
        assert all(future.result(timeout=120) for future in started)
        processes = list(pool._processes.values())
        assert processes
        with pytest.raises(BrokenProcessPool):
            submit(pool, _lost).result(timeout=120)
    finally:
        stop(pool, wait=False)
    assert all(not p.is_alive() for p in processes)


def test_the_parent_blocks_ctrl_c_only_while_it_submits() -> None:
    if not hasattr(signal, "pthread_sigmask"):
        pytest.skip("no signal masks here")
    pool = start_pool(1)
    try:
        submit(pool, _pid).result(timeout=120)
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    finally:
        stop(pool, wait=True)
