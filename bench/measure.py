"""Benchmark: run a command as a child and measure it; paired runs (lecturegen, pandoc) and the watch loop."""

from __future__ import annotations

import os
import queue
import re
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class RunFailed(Exception):
    """A measured command exited with an error."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_kib: int  # largest resident set of the child or any descendant it waited for (ru_maxrss)
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the child and its waited-for descendants


@dataclass(frozen=True)
class Command:
    """One side of a pair: what to run, where, and what to do (untimed) before each run."""

    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str]
    before: Callable[[], object] | None = None


def run_child(command: Command) -> Run:
    """Wall time from spawn to exit, and the child's own peak memory from wait4().

    wait4() returns the rusage of that one child (including its waited-for descendants, such as chart
    workers), so no measurement mixes with another — the same figure `/usr/bin/time -v` prints.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command.argv, cwd=command.cwd, env=command.env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise RunFailed(f"{' '.join(command.argv)} (in {command.cwd}) exited with {proc.returncode}:\n"
                        f"{stderr[-3000:] or stdout[-3000:]}")
    return Run(seconds, usage.ru_maxrss, stdout, usage.ru_utime + usage.ru_stime)


@dataclass
class Paired:
    """Runs of lecturegen and pandoc taken as pairs, alternating which one goes first."""

    lecturegen: list[Run] = field(default_factory=list)
    pandoc: list[Run] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [a.seconds / b.seconds for a, b in zip(self.lecturegen, self.pandoc)]

    @property
    def cpu_ratios(self) -> list[float]:
        return [a.cpu_seconds / b.cpu_seconds for a, b in zip(self.lecturegen, self.pandoc) if b.cpu_seconds]

    @property
    def memory_ratios(self) -> list[float]:
        return [a.peak_kib / b.peak_kib for a, b in zip(self.lecturegen, self.pandoc) if b.peak_kib]


def paired_runs(lecturegen: Command, pandoc: Command, runs: int, warm_up: bool = True) -> Paired:
    """`runs` pairs after one untimed pair; pair i runs lecturegen first when i is even, pandoc first when odd,
    so that a drift in the machine's speed (thermal, another process) falls on both sides alike."""
    if warm_up:
        for command in (lecturegen, pandoc):
            if command.before:
                command.before()
            run_child(command)
    result = Paired()
    for index in range(runs):
        order = [(lecturegen, result.lecturegen), (pandoc, result.pandoc)]
        if index % 2:
            order.reverse()
        for command, runs_of in order:
            if command.before:
                command.before()
            runs_of.append(run_child(command))
    return result


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


# -- watch mode -------------------------------------------------------------------------------------------

BUILD_LINE = re.compile(r"^\s*(re)?built\b", re.IGNORECASE)


class WatchFailed(Exception):
    """`lecturegen watch` did not print a build line in time, or exited."""


@dataclass
class WatchSession:
    """A running `lecturegen watch`, whose stdout lines are timestamped as they arrive."""

    argv: tuple[str, ...]
    cwd: Path
    env: dict[str, str]
    timeout: float = 120.0

    def __enter__(self) -> WatchSession:
        # Unbuffered: a pipe makes Python block-buffer stdout, and the build line would arrive late.
        env = {**self.env, "PYTHONUNBUFFERED": "1"}
        self._proc = subprocess.Popen(self.argv, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                      start_new_session=True)
        self._lines: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put((time.perf_counter(), line.rstrip("\n")))
        self._lines.put(None)

    def drain(self) -> None:
        """Forget lines already printed (a second rebuild, diagnostics) before the next edit."""
        while True:
            try:
                item = self._lines.get_nowait()
            except queue.Empty:
                return
            if item is None:
                raise WatchFailed("lecturegen watch exited")

    def next_build(self) -> float:
        """Waits for the next build line; returns when it arrived (perf_counter)."""
        deadline = time.perf_counter() + self.timeout
        seen: list[str] = []
        while True:
            try:
                item = self._lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise WatchFailed(f"no build line within {self.timeout:.0f} s; it printed:\n" +
                                  "\n".join(seen[-20:])) from None
            if item is None:
                raise WatchFailed("lecturegen watch exited; it printed:\n" + "\n".join(seen[-20:]))
            arrived, line = item
            if BUILD_LINE.match(line):
                return arrived
            seen.append(line)

    def __exit__(self, *exc: object) -> None:
        """Ctrl-C first (watch should end cleanly on it), then terminate, then kill: this one process group."""
        for sig, wait in ((signal.SIGINT, 10.0), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            if self._proc.poll() is not None:
                break
            try:
                os.killpg(self._proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self._proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
        self._reader.join(timeout=5.0)


def watch_runs(session: WatchSession, edit: Callable[[], object], pandoc: Command, runs: int,
               settle: float = 0.5) -> Paired:
    """Edit → next build line, `runs` times, each followed by pandoc on the twin with the same edit.

    The time runs from just before the file is written to the moment the build line is read, so it
    includes the watcher's own latency (debounce), which is what a presenter waits for.
    """
    result = Paired()
    session.next_build()  # the first build, of the talk as it is
    for index in range(runs + 1):  # the first edit warms up, like the untimed pair of the other scenarios
        time.sleep(settle)  # let the watcher go quiet, so the edit is seen as a new change
        session.drain()
        start = time.perf_counter()
        edit()
        rebuilt = Run(session.next_build() - start, 0, "")
        measured = run_child(pandoc)
        if index > 0:
            result.lecturegen.append(rebuilt)
            result.pandoc.append(measured)
    return result
