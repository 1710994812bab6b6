"""Render layer: a content-addressed PNG cache for charts, so rebuilds skip matplotlib entirely."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lecturegen.model.deck import Chart

if TYPE_CHECKING:
    from lecturegen.render.chart_style import ChartStyle

# Must equal charts_mpl.RENDERER_VERSION; duplicated so computing a key does not import matplotlib.
RENDERER_VERSION = "2"


@functools.lru_cache(maxsize=1)
def _matplotlib_version() -> str:
    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        return "unknown"


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
        folder = Path(__file__).parent
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


def chart_png(
    chart: Chart, style: ChartStyle, width_in: float, height_in: float, dpi: int, cache_dir: Path | None
) -> bytes:
    """The chart's PNG, from the cache when this exact chart was drawn before."""
    path = None
    if cache_dir is not None:
        path = cache_dir / f"{cache_key(chart, style, width_in, height_in, dpi)}.png"
        try:
            return path.read_bytes()
        except OSError:
            pass
    from lecturegen.render.charts_mpl import render_chart_png  # a miss: only now pay for matplotlib

    png = render_chart_png(chart, style, width_in, height_in, dpi)
    if path is not None:
        _write_atomically(path, png)
    return png


def _write_atomically(path: Path, data: bytes) -> None:
    """Temp file + os.replace: a crash never leaves a truncated PNG under a valid key."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".chart-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        # A cache that cannot be written is only slower, never a failed build.
        pass
