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


def test_workers_draw_what_the_main_process_draws(tmp_path: Path) -> None:
    charts = [CHARTS["bar"], CHARTS["line"]]
    expected = [ChartDrawer(Store(tmp_path / "alone"), parallel=False).png(c, STYLE, 6, 3, 100) for c in charts]
    drawer = ChartDrawer(Store(tmp_path / "pool"))
    try:
        drawer.prefetch([(c, STYLE, 6, 3, 100) for c in charts])
        if not drawer.workers:  # a one-core machine draws in-process
            return
        assert len(drawer.pending) == 2
        assert [drawer.png(c, STYLE, 6, 3, 100) for c in charts] == expected
    finally:
        drawer.close()


def test_a_lost_worker_costs_time_not_the_chart(tmp_path: Path) -> None:
    drawer = ChartDrawer(Store(tmp_path))
    try:
        drawer._start(2)
        if not drawer.workers:
            return
        drawer.workers[0].process.kill()  # killed before it drew anything (out of memory, a stray signal)
        drawer.workers[0].process.wait()
        drawer.prefetch([(CHARTS["bar"], STYLE, 6, 3, 100), (CHARTS["line"], STYLE, 6, 3, 100)])
        png = drawer.png(CHARTS["bar"], STYLE, 6, 3, 100)
        assert png == ChartDrawer(Store(tmp_path / "alone"), parallel=False).png(CHARTS["bar"], STYLE, 6, 3, 100)
    finally:
        drawer.close()


def test_a_build_started_from_a_script_without_a_main_guard_draws_its_charts(tmp_path: Path) -> None:
    """multiprocessing's spawn would run such a script again in every worker; the workers never import it."""
    script = tmp_path / "draw.py"
    script.write_text(f"""
import pickle, sys
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
from pathlib import Path
from lecturegen.store.charts import ChartDrawer
from lecturegen.store.disk import Store
print("script ran")
chart, style = pickle.loads({__import__("pickle").dumps((CHARTS["bar"], STYLE))!r})
drawer = ChartDrawer(Store(Path({str(tmp_path / "store")!r})))
drawer.prefetch([(chart, style, 6, 3, 100), (chart, style, 5, 3, 100)])
assert drawer.png(chart, style, 6, 3, 100)[1:4] == b"PNG"
drawer.close()
""", encoding="utf-8")
    for run in (["python", str(script)], ["python", "-"]):
        result = subprocess.run([sys.executable, *run[1:]], input=script.read_text() if run[1] == "-" else None,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.count("script ran") == 1


def test_workers_start_early_only_for_a_workspace_that_has_pictures_to_draw(tmp_path: Path) -> None:
    store = Store(tmp_path)
    idle = ChartDrawer(store)
    idle.warm_up(0)  # no picture in the talk: matplotlib is never loaded
    assert not idle.workers
    drawer = ChartDrawer(store)
    try:
        drawer.warm_up(3)
        if (__import__("os").cpu_count() or 1) > 1:
            assert len(drawer.workers) == 1  # three pictures do not pay for a second worker
    finally:
        drawer.close()
    drawer.png(CHARTS["bar"], STYLE, 6, 3, 100)  # drawn in-process: the workers are closed
    again = ChartDrawer(store)
    again.warm_up(3)  # a chart was drawn here before: an edit rarely needs matplotlib
    assert not again.workers


def test_a_first_build_starts_a_worker_before_it_knows_and_stops_it_when_no_picture_is_needed(tmp_path: Path) -> None:
    drawer = ChartDrawer(Store(tmp_path))
    try:
        drawer.warm_up(None)  # before the talk is loaded
        if (__import__("os").cpu_count() or 1) < 2:
            return
        assert len(drawer.workers) == 1
        process = drawer.workers[0].process
        drawer.warm_up(0)  # the talk turned out to have no picture
        assert drawer.workers == [] and process.poll() is not None  # stopped, not left loading matplotlib
    finally:
        drawer.close()
    store = Store(tmp_path / "built-before")
    store.put("template-reads", "k", b"a template read on an earlier build")
    later = ChartDrawer(store)
    later.warm_up(None)
    assert later.workers == []  # not the first build here: nothing is started on a guess
