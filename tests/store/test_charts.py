"""Tests for the chart store: pictures kept by content, served without matplotlib, never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lecturegen.store.charts import RENDERER_VERSION, ChartDrawer, cache_key
from lecturegen.store.disk import Store

from tests.render.test_charts_mpl import CHARTS, STYLE  # the same charts the renderer tests draw


def test_a_drawn_chart_is_kept_and_served_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path)
    drawer = ChartDrawer(store, parallel=False)
    png = drawer.png(CHARTS["bar"], STYLE, 8, 4.5, 100)
    key = cache_key(CHARTS["bar"], STYLE, 8, 4.5, 100)
    assert store.get("charts", key) == png
    store.put("charts", key, b"cached")  # proves the second call does not draw again
    assert drawer.png(CHARTS["bar"], STYLE, 8, 4.5, 100) == b"cached"
    assert cache_key(CHARTS["bar"], STYLE, 8, 4.5, 200) != key
    assert not list(tmp_path.rglob("*.tmp"))  # no temp files left behind


def test_a_damaged_entry_is_discarded_and_drawn_again(tmp_path: Path) -> None:
    store = Store(tmp_path)
    drawer = ChartDrawer(store, parallel=False)
    png = drawer.png(CHARTS["bar"], STYLE, 8, 4.5, 100)
    entry = next(p for p in (tmp_path / "charts").rglob("*") if p.is_file())
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert drawer.png(CHARTS["bar"], STYLE, 8, 4.5, 100) == png


def test_cache_hit_does_not_import_matplotlib(tmp_path: Path) -> None:
    ChartDrawer(Store(tmp_path), parallel=False).png(CHARTS["bar"], STYLE, 8, 4.5, 100)
    code = f"""
import sys, pickle
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
chart, style = pickle.loads({__import__("pickle").dumps((CHARTS["bar"], STYLE))!r})
from lecturegen.store.charts import ChartDrawer
from lecturegen.store.disk import Store
ChartDrawer(Store(Path({str(tmp_path)!r})), parallel=False).png(chart, style, 8, 4.5, 100)
assert "matplotlib" not in sys.modules, "matplotlib imported on a cache hit"
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_cache_and_renderer_agree_on_the_version() -> None:
    from lecturegen.render import charts_mpl

    assert RENDERER_VERSION == charts_mpl.RENDERER_VERSION


def _worker_modules() -> list[str]:
    return sorted(sys.modules)


def test_workers_draw_what_the_main_process_draws_and_start_from_a_fresh_interpreter(tmp_path: Path) -> None:
    import lecturegen.compile.deck  # noqa: F401  # in this process only: a forked worker would inherit it

    charts = [CHARTS["bar"], CHARTS["line"]]
    expected = [ChartDrawer(Store(tmp_path / "alone"), parallel=False).png(c, STYLE, 6, 3, 100) for c in charts]
    drawer = ChartDrawer(Store(tmp_path / "pool"))
    try:
        drawer.prefetch([(c, STYLE, 6, 3, 100) for c in charts])
        if drawer.pool is None:  # a one-core machine draws in-process
            return
        assert [drawer.png(c, STYLE, 6, 3, 100) for c in charts] == expected
        # Spawned, not forked: the worker's resident set holds matplotlib, not a copy of the build's pages.
        assert "lecturegen.compile.deck" not in drawer.pool.submit(_worker_modules).result()
    finally:
        drawer.close()


def test_workers_start_early_only_for_a_workspace_that_has_pictures_to_draw(tmp_path: Path) -> None:
    store = Store(tmp_path)
    idle = ChartDrawer(store)
    idle.warm_up(0)  # no picture in the talk: matplotlib is never loaded
    assert idle.pool is None
    drawer = ChartDrawer(store)
    try:
        drawer.warm_up(3)
        if (__import__("os").cpu_count() or 1) > 1:
            assert drawer.pool is not None
            assert drawer.pool._max_workers == 1  # three pictures do not pay for a second worker
    finally:
        drawer.close()
    drawer.png(CHARTS["bar"], STYLE, 6, 3, 100)  # drawn in-process: the pool is closed
    again = ChartDrawer(store)
    again.warm_up(3)  # a chart was drawn here before: an edit rarely needs matplotlib
    assert again.pool is None
