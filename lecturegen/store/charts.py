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
from lecturegen.store.versions import installed_version

if TYPE_CHECKING:  # the pool is started only when a chart is missing (concurrent.futures costs 8 ms)
    from concurrent.futures import Future, ProcessPoolExecutor

# Must equal charts_mpl.RENDERER_VERSION; duplicated so computing a key does not import matplotlib.
RENDERER_VERSION = "4"


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


def _load_chart_renderer() -> None:
    import lecturegen.render.charts_mpl  # noqa: F401  # matplotlib and its font list, once per worker


def _draw(chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
    import gc

    from lecturegen.render.charts_mpl import render_chart_png

    png = render_chart_png(chart, style, width_in, height_in, dpi)
    # A figure and its canvas refer to each other, so the renderer's pixel buffer (9 MB for a full-width
    # chart at 200 dpi) would wait for the cyclic collector: free it before the next chart is drawn.
    gc.collect()
    return png


class ChartDrawer:
    """Chart PNGs from the store, else drawn — in worker processes when several are missing, so that
    loading matplotlib (about 0.4 s) overlaps with compiling and assembling the deck."""

    def __init__(self, store: Store, parallel: bool = True):
        self.store = store
        self.parallel = parallel and (os.cpu_count() or 1) > 1
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[str, Future[bytes]] = {}

    def warm_up(self, pictures: int) -> None:
        """Start the workers now (before compiling) when this workspace has no chart drawn yet."""
        if self.parallel and pictures and self.pool is None and not self.store.has_any("charts"):
            self._start(pictures)

    def _start(self, pictures: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # A second worker only pays when there is enough to draw: on two cores it competes with the main
        # process, which is compiling meanwhile (a cold keynote with 3 pictures builds ~15 % faster with one).
        wanted = 1 + (pictures - 1) // PICTURES_PER_WORKER
        size = max(1, min(CHART_WORKERS, os.cpu_count() or 1, wanted))
        # Spawned, not forked: a forked worker would count the main process's pages in its own resident set
        # (about 95 MB at the peak against 80 MB for a fresh interpreter).
        self.pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"))
        for _ in range(size):
            self.pool.submit(_load_chart_renderer)

    def prefetch(self, requests: list[tuple[Chart, ChartStyle, float, float, int]]) -> None:
        """Start drawing every missing chart; `png` then only waits for them."""
        missing = []
        for chart, style, width, height, dpi in requests:
            key = cache_key(chart, style, width, height, dpi)
            if key in self.pending or self.store.get("charts", key) is not None:
                continue
            missing.append((key, (chart, style, width, height, dpi)))
        if self.parallel and len(missing) >= 2 and self.pool is None:
            self._start(len(missing))
        if self.pool is not None:
            for key, args in missing:
                self.pending[key] = self.pool.submit(_draw, *args)

    def png(self, chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int) -> bytes:
        key = cache_key(chart, style, width_in, height_in, dpi)
        cached = self.store.get("charts", key)
        if cached is not None:
            return cached
        future = self.pending.pop(key, None)
        data = future.result() if future is not None else _draw(chart, style, width_in, height_in, dpi)
        self.store.put("charts", key, data)
        return data

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
