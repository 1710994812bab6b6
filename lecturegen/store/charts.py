"""Store layer: chart pictures by content; missing ones drawn in a process pool when enough are missing to pay,
else in the build; every process draws with the same font list and settings; rebuilds skip matplotlib."""

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

if TYPE_CHECKING:  # a pool is started only when charts are missing (concurrent.futures costs 8 ms)
    from concurrent.futures import Future, ProcessPoolExecutor



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
CHART_PICTURE_SOURCES = ("render/charts_mpl.py", "render/chart_style.py", "render/mpl_axes.py", "render/mpl_bars.py",
                         "render/mpl_panels.py", "render/mpl_points.py", "render/mpl_text.py", "model/chart.py",
                         "model/chart_text.py", "model/colour.py")


def _renderer_source_hash() -> str:
    global _SOURCE_HASH
    if _SOURCE_HASH is None:
        package = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        # Every module a chart picture's pixels depend on: the drawer and its families, and the model's
        # number formatting; a change in any of them draws the pictures again.
        for name in CHART_PICTURE_SOURCES:
            try:
                digest.update((package / name).read_bytes())
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
        "drawn-with": DRAWING_SETUP,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


# What makes a drawing the same in every process, besides the chart: bumped when it changes (it is in the key).
DRAWING_SETUP = "canonical font list, matplotlib's default settings (1)"
# Where a pool pays (docs/performance.md). A cold keynote-1h spends 1.2 s of its 2.0 s of CPU on four charts
# (0.35 s of it importing matplotlib, which also adds 40 MiB to the process that draws). A worker started as a
# first build starts imports matplotlib while the talk loads and compiles: cold keynote-1h 2.68× pandoc with it
# against 3.02× drawn in the build, peak 80 against 120 MiB (bench/run.py --quick, load average 5.5 on this
# 2-core VM; at load 7–8 the two were within noise in time). So a first build always draws in a worker, and a
# later build (the talk's charts drawn before) only while a core is idle and for POOL_FROM missing pictures.
# A second worker, started as soon as the talk is loaded and has four pictures or more, draws half of them: cold
# keynote-1h (4 drawings) 0.90 s against 1.00 s with one (medians of 9 alternating runs, idle 2-core VM), though
# the two workers load matplotlib while the build compiles.
POOL_FROM = 4
CHART_WORKERS = 2  # at most; one more per PICTURES_PER_WORKER pictures to draw
PICTURES_PER_WORKER = 3
POOL_SETTING = "LECTUREGEN_CHART_POOL"  # "auto" (the default), "always" or "never": for measuring and tests


def _setting() -> str:
    return os.environ.get(POOL_SETTING, "auto")


def pool_pays() -> bool:
    """Whether drawing in other processes can be faster here: more than one core, and one of them idle."""
    setting = _setting()
    if setting in ("always", "never"):
        return setting == "always"
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (OSError, AttributeError):
        return cores > 1
    return cores > 1 and load <= cores - 1


Request = tuple[Chart, ChartStyle, float, float, int]

_FONT_LIST: list[Any] | None = None  # matplotlib's font entries as its cache file lists them, in a fixed order


def prepare_drawing() -> None:
    """The state every drawing starts from, in the build and in each worker alike.

    matplotlib keeps fonts in one process-wide list, and of two files with the same family and style the first
    listed wins: a chart drawn earlier in the process adds its slides' font files and moves them first
    (`charts_mpl._prefer_files`), and a font list built on a fresh machine comes in the order of a set of
    file names (hash-seeded, so different in each process). Each drawing therefore starts from the list of
    matplotlib's cache file, sorted (matplotlib's own files first, then by path), with the font caches cleared."""
    global _FONT_LIST
    _import_renderer()
    import matplotlib
    from matplotlib import font_manager

    from lecturegen.render.charts_mpl import font_stack

    if _FONT_LIST is None:
        own = os.path.realpath(matplotlib.get_data_path())
        # The list as matplotlib's cache file has it (the file is built once per machine).
        listed = font_manager._load_fontmanager().ttflist  # type: ignore[attr-defined]
        _FONT_LIST = sorted(listed, key=lambda e: (not os.path.realpath(e.fname).startswith(own), e.fname,
                                                   e.style, e.weight, e.stretch, e.variant, e.name))
    manager = font_manager.fontManager
    manager.ttflist = list(_FONT_LIST)
    font_stack.cache_clear()
    clear = getattr(getattr(manager, "_findfont_cached", None), "cache_clear", None)
    if clear is not None:
        clear()


def _import_renderer() -> None:
    """matplotlib and the chart renderer, imported without writing the help text of every artist's `set`.

    As each Artist class is defined, matplotlib writes a docstring listing its properties (`artist.kwdoc`):
    a fifth of its import (90 of 440 ms of CPU here), for text only `help()` shows. Drawing reads none of it."""
    import sys

    if "lecturegen.render.charts_mpl" in sys.modules:
        return
    import matplotlib.artist as artist

    real = getattr(artist, "kwdoc", None)
    if real is not None and "matplotlib.axes" not in sys.modules:
        artist.kwdoc = lambda artist: "Properties: see the class's set_* methods."
    try:
        import lecturegen.render.charts_mpl  # noqa: F401
    finally:
        if real is not None:
            artist.kwdoc = real


def draw_chart(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
    """One chart drawn here (in a worker, or in the build), from `prepare_drawing`'s state and matplotlib's
    default settings (not a matplotlibrc's, nor what a library in the same process changed)."""
    import gc

    _import_renderer()
    import matplotlib

    from lecturegen.render.charts_mpl import render_chart_png

    prepare_drawing()
    defaults = {k: v for k, v in matplotlib.rcParamsDefault.items() if k not in _PROCESS_SETTINGS}
    with matplotlib.rc_context(defaults):
        png = render_chart_png(chart, style, width_in, height_in, dpi)
    # A figure and its canvas refer to each other, so the renderer's pixel buffer (9 MB for a full-width
    # chart at 200 dpi) would wait for the cyclic collector: free it before the next chart is drawn.
    gc.collect()
    return png


_PROCESS_SETTINGS = frozenset({"backend", "backend_fallback", "interactive"})  # not drawing: left alone


def _worker_setup() -> None:
    """In each chart worker, as it starts: matplotlib, the font list and the slides' font files loaded.

    Then everything the worker holds is frozen out of the cyclic collector's reach: the collection after each
    chart (`draw_chart`) walked matplotlib's 70,000 objects again each time (25 ms a chart); now it walks the
    chart's own. Nothing frozen is garbage: it is what every chart is drawn with."""
    import gc

    prepare_drawing()
    gc.freeze()


def _loaded() -> bool:
    """A task that only waits for a worker to start (and load matplotlib)."""
    return True


class ChartDrawer:
    """Chart PNGs from the store, else drawn — here, or in a pool of worker processes (`store/processes.py`):
    on a first build, started as it starts, so that loading matplotlib overlaps with loading and compiling the
    talk and no process holds both the build and matplotlib; later only while a core is idle (`pool_pays`)
    and for at least POOL_FROM missing pictures.

    A worker that is lost (killed, out of memory, a script without a main guard) costs time, not the chart:
    what it had not drawn is drawn here."""

    def __init__(self, store: Store, parallel: bool = True):
        self.store = store
        self.parallel = parallel and (os.cpu_count() or 1) > 1 and _setting() != "never"
        self.pool: ProcessPoolExecutor | None = None
        self.workers = 0
        self.pending: dict[str, Future[bytes]] = {}

    def warm_up(self, pictures: int | None) -> None:
        """Start the pool now when this workspace has no chart drawn yet: before loading (`None`: how many
        pictures the talk has is not known yet), then again with the count, which stops it when none is needed."""
        if not self.parallel or self.store.has_any("charts"):
            return
        if pictures is None and self.store.has_any("template-reads"):
            return  # not the first build here: a talk that has drawn no chart yet is unlikely to need one now
        if pictures == 0:
            self.close()  # the talk draws no picture: the worker is stopped, mid-import if need be
        elif self.pool is None:
            self._start(pictures or 1)  # before the count is known: one worker
        elif pictures is not None and self._size_for(pictures) > self.workers:
            self._grow(self._size_for(pictures))

    @staticmethod
    def _size_for(pictures: int) -> int:
        # A second worker only pays when there is enough to draw: on two cores it competes with the main
        # process, which is compiling meanwhile (with 3 pictures one was ~15 % faster; with 4, two are 10 %).
        wanted = 1 + (pictures - 1) // PICTURES_PER_WORKER
        return max(1, min(CHART_WORKERS, os.cpu_count() or 1, wanted))

    def _start(self, pictures: int) -> None:
        from lecturegen.store.processes import start_pool

        try:
            self.pool = start_pool(max(1, min(CHART_WORKERS, os.cpu_count() or 1)), _worker_setup)
        except OSError:
            self.close()  # no process could be started: every chart is drawn here
            return
        self.workers = 0
        self._grow(self._size_for(pictures))

    def _grow(self, workers: int) -> None:
        """Start workers up to `workers` now: the pool (spawn) starts one for each task that finds none idle, up
        to CHART_WORKERS, and a worker is busy loading matplotlib until it has run `_loaded`. (So a drawing
        submitted while every worker is busy may also start one, up to the same limit.)"""
        from lecturegen.store.processes import submit

        assert self.pool is not None
        try:
            while self.workers < workers:
                submit(self.pool, _loaded)
                self.workers += 1
        except (OSError, RuntimeError):
            self.close()  # no process could be started: every chart is drawn here

    def prefetch(self, requests: list[Request]) -> None:
        """Start drawing every missing chart; `png` then only waits for them."""
        missing = []
        for chart, style, width, height, dpi in requests:
            key = cache_key(chart, style, width, height, dpi)
            if key in self.pending or self.store.get("charts", key) is not None:
                continue
            missing.append((key, (chart, style, width, height, dpi)))
        if self.parallel and len(missing) >= POOL_FROM and self.pool is None and pool_pays():
            self._start(len(missing))
        if self.pool is None or not missing:
            return  # concurrent.futures is not even imported (8 ms) when every chart is in the store
        from concurrent.futures.process import BrokenProcessPool

        from lecturegen.store.processes import submit

        try:
            for key, request in missing:
                self.pending[key] = submit(self.pool, draw_chart, *request)
        except (BrokenProcessPool, OSError, RuntimeError):
            self._lost()  # the rest are drawn here, as `png` asks for them

    def png(self, chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
        key = cache_key(chart, style, width_in, height_in, dpi)
        cached = self.store.get("charts", key)
        if cached is not None:
            return cached
        future = self.pending.pop(key, None)
        data = None
        if future is not None:
            from concurrent.futures import CancelledError
            from concurrent.futures.process import BrokenProcessPool

            try:
                data = future.result()
            except (BrokenProcessPool, CancelledError):
                self._lost()  # a worker was killed or could not start: this chart and the rest are drawn here
        if data is None:
            data = draw_chart(chart, style, width_in, height_in, dpi)
        self.store.put("charts", key, data)
        return data

    def _lost(self) -> None:
        if self.pool is not None:
            from lecturegen.store.processes import stop

            stop(self.pool, wait=False)
        self.pool = None
        self.pending = {k: f for k, f in self.pending.items() if f.done() and not f.cancelled()
                        and f.exception() is None}

    def close(self) -> None:
        """Stop the pool: after its work when everything asked for was drawn, else at once (an error elsewhere
        in the build, or Ctrl-C: nothing will ask for those charts)."""
        if self.pool is not None:
            from lecturegen.store.processes import stop

            unfinished = any(not f.done() for f in self.pending.values())
            stop(self.pool, wait=not unfinished)
        self.pool = None
        self.pending.clear()
