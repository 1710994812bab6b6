"""Store layer: chart pictures by content, drawn in worker processes when missing; rebuilds skip matplotlib."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import ChartStyle
from lecturegen.store.disk import Store
from lecturegen.render.chart_version import RENDERER_VERSION
from lecturegen.store.versions import installed_version

if TYPE_CHECKING:  # workers are started only when a chart is missing (concurrent.futures costs 8 ms)
    from concurrent.futures import Future



def _matplotlib_version() -> str:
    return installed_version("matplotlib")


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


_SOURCE_HASH: str | None = None


def _renderer_source_hash() -> str:
    global _SOURCE_HASH
    if _SOURCE_HASH is None:
        folder = Path(__file__).resolve().parent.parent / "render"
        digest = hashlib.sha256()
        for name in ("charts_mpl.py", "chart_style.py"):
            try:
                digest.update((folder / name).read_bytes())
            except OSError:
                pass
        _SOURCE_HASH = digest.hexdigest()
    return _SOURCE_HASH


def cache_key(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> str:
    """sha256 over everything that changes the pixels: chart, style, size, dpi, renderer versions."""
    payload = {
        "chart": _jsonable(chart),
        "style": _jsonable(style),
        "size": [round(width_in, 6), round(height_in, 6)],
        "dpi": dpi,
        "renderer": RENDERER_VERSION,
        # The drawing code itself (read, not imported): a changed renderer never serves stale pixels.
        "source": _renderer_source_hash(),
        "matplotlib": _matplotlib_version(),
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


CHART_WORKERS = 2  # at most; one more per PICTURES_PER_WORKER pictures to draw
PICTURES_PER_WORKER = 6  # a worker loads matplotlib in ~0.4 s and draws a chart in ~0.1–0.2 s
Request = tuple[Chart, ChartStyle, float, float, int]


def draw_chart(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
    """One chart drawn here (in a worker, or in the build when there is no worker)."""
    import gc

    from lecturegen.render.charts_mpl import render_chart_png

    png = render_chart_png(chart, style, width_in, height_in, dpi)
    # A figure and its canvas refer to each other, so the renderer's pixel buffer (9 MB for a full-width
    # chart at 200 dpi) would wait for the cyclic collector: free it before the next chart is drawn.
    gc.collect()
    return png


class WorkerLost(Exception):
    """A drawing process ended or could not be reached: the chart is drawn in the build instead."""


class _Worker:
    """One `python -m lecturegen.store.chart_worker` process, fed by a thread so that the build goes on."""

    def __init__(self) -> None:
        import queue
        import subprocess
        import sys
        import threading

        package_root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        # A process group of its own: Ctrl-C at a terminal reaches the build's group, not the worker (whose
        # KeyboardInterrupt traceback it printed). The build ends it (`close`); if the build is killed, its
        # input ends and so does it.
        self.process = subprocess.Popen([sys.executable, "-m", "lecturegen.store.chart_worker"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, process_group=0)
        self.jobs: queue.SimpleQueue[tuple[Future[bytes], bytes] | None] = queue.SimpleQueue()
        self.submitted = 0
        self.thread = threading.Thread(target=self._feed, name="chart-worker", daemon=True)
        self.thread.start()

    def submit(self, request: Request) -> Future[bytes]:
        import pickle
        from concurrent.futures import Future

        future: Future[bytes] = Future()
        self.submitted += 1
        self.jobs.put((future, pickle.dumps(request)))
        return future

    def _feed(self) -> None:
        import pickle

        from lecturegen.store.chart_worker import DRAWN, HEADER, read_message

        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        while True:
            job = self.jobs.get()
            if job is None:
                return
            future, payload = job
            try:
                stdin.write(HEADER.pack(len(payload)) + payload)
                stdin.flush()
                status = stdout.read(1)
                answer = read_message(stdout)
                if not status or answer is None:
                    raise WorkerLost("the chart worker ended")
            except (OSError, ValueError, WorkerLost) as exc:
                future.set_exception(WorkerLost(str(exc)))
                continue
            if status[0] == DRAWN:
                future.set_result(answer)
            else:
                future.set_exception(pickle.loads(answer))

    def close(self, wait: bool) -> None:
        """End the process: after the queued charts when `wait`, else at once (nothing waits for them)."""
        wait = wait and self.submitted > 0  # a worker that was given nothing may still be loading matplotlib
        self.jobs.put(None)
        if wait:
            self.thread.join()
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        if not wait:
            self.process.kill()
        try:
            self.process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a worker that will not end is killed
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class ChartDrawer:
    """Chart PNGs from the store, else drawn — in worker processes when several are missing, so that
    loading matplotlib (about 0.4 s) overlaps with compiling and assembling the deck."""

    def __init__(self, store: Store, parallel: bool = True):
        self.store = store
        self.parallel = parallel and (os.cpu_count() or 1) > 1
        self.workers: list[_Worker] = []
        self.pending: dict[str, Future[bytes]] = {}
        self._next = 0

    def warm_up(self, pictures: int | None) -> None:
        """Start the workers now when this workspace has no chart drawn yet: before loading (`None`: how many
        pictures the talk has is not known yet), then again with the count, which stops workers not needed."""
        if not self.parallel or self.store.has_any("charts"):
            return
        if pictures is None and self.store.has_any("template-reads"):
            return  # not the first build here: a talk that has drawn no chart yet is unlikely to need one now
        if pictures == 0:
            self.close()  # the talk draws no picture: the worker is stopped, mid-import if need be
        elif not self.workers:
            self._start(pictures or 1)
        elif pictures is not None:
            wanted = min(self._size_for(pictures), CHART_WORKERS) - len(self.workers)
            if wanted > 0:
                self.workers += [_Worker() for _ in range(wanted)]

    @staticmethod
    def _size_for(pictures: int) -> int:
        # A second worker only pays when there is enough to draw: on two cores it competes with the main
        # process, which is compiling meanwhile (a cold keynote with 3 pictures builds ~15 % faster with one).
        wanted = 1 + (pictures - 1) // PICTURES_PER_WORKER
        return max(1, min(CHART_WORKERS, os.cpu_count() or 1, wanted))

    def _start(self, pictures: int) -> None:
        try:
            self.workers = [_Worker() for _ in range(self._size_for(pictures))]
        except OSError:
            self.close()  # no process could be started: every chart is drawn here

    def prefetch(self, requests: list[Request]) -> None:
        """Start drawing every missing chart; `png` then only waits for them."""
        missing = []
        for chart, style, width, height, dpi in requests:
            key = cache_key(chart, style, width, height, dpi)
            if key in self.pending or self.store.get("charts", key) is not None:
                continue
            missing.append((key, (chart, style, width, height, dpi)))
        if self.parallel and len(missing) >= 2 and not self.workers:
            self._start(len(missing))
        for key, request in missing:
            if not self.workers:
                break
            worker = self.workers[self._next % len(self.workers)]
            self._next += 1
            self.pending[key] = worker.submit(request)

    def png(self, chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
        key = cache_key(chart, style, width_in, height_in, dpi)
        cached = self.store.get("charts", key)
        if cached is not None:
            return cached
        future = self.pending.pop(key, None)
        data = None
        if future is not None:
            try:
                data = future.result()
            except WorkerLost:
                data = None  # the worker was killed or could not start: draw it here
        if data is None:
            data = draw_chart(chart, style, width_in, height_in, dpi)
        self.store.put("charts", key, data)
        return data

    def close(self) -> None:
        # Charts nobody will ask for (an error elsewhere in the build) are not waited for.
        unfinished = any(not f.done() for f in self.pending.values())
        for worker in self.workers:
            worker.close(wait=not unfinished)
        self.workers = []
        self.pending.clear()
