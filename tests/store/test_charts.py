"""Tests for the chart store: pictures kept by content, served without matplotlib, never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    """The same pixels in every process, whatever the build drew before (item 6 of issue 20): the main process
    first draws with another style whose font file moves a copy of a family first in matplotlib's list, and
    with a global setting changed, as a library sharing the process might."""
    import dataclasses

    import matplotlib

    from matplotlib import font_manager

    dejavu = [e.fname for e in font_manager.fontManager.ttflist if e.name == "DejaVu Sans"
              and "mpl-data" not in e.fname and e.style == "normal" and e.weight == 400]
    other = dataclasses.replace(STYLE, font_family="DejaVu Sans", font_files=tuple(dejavu[:1]))
    charts = [CHARTS["bar"], CHARTS["line"]]
    alone = ChartDrawer(Store(tmp_path / "alone"), parallel=False)
    alone.png(CHARTS["line"], other, 5, 3, 100)
    with matplotlib.rc_context({"lines.linewidth": 7.0, "axes.grid": True}):
        expected = [alone.png(c, STYLE, 6, 3, 100) for c in charts]
    drawer = ChartDrawer(Store(tmp_path / "pool"))
    try:
        drawer._start(len(charts))  # two charts would be drawn here (POOL_FROM): the pool is started by hand
        drawer.prefetch([(c, STYLE, 6, 3, 100) for c in charts])
        if drawer.pool is None:  # a one-core machine draws in-process
            return
        assert len(drawer.pending) == 2
        assert [drawer.png(c, STYLE, 6, 3, 100) for c in charts] == expected
    finally:
        drawer.close()


def test_a_lost_worker_costs_time_not_the_chart(tmp_path: Path) -> None:
    drawer = ChartDrawer(Store(tmp_path))
    try:
        drawer._start(2)
        if drawer.pool is None:
            return
        processes = list(drawer.pool._processes.values())  # type: ignore[attr-defined]
        assert processes
        processes[0].kill()  # killed before it drew anything (out of memory, a stray signal)
        processes[0].join()
        drawer.prefetch([(CHARTS["bar"], STYLE, 6, 3, 100), (CHARTS["line"], STYLE, 6, 3, 100)])
        png = drawer.png(CHARTS["bar"], STYLE, 6, 3, 100)
        assert png == ChartDrawer(Store(tmp_path / "alone"), parallel=False).png(CHARTS["bar"], STYLE, 6, 3, 100)
        assert drawer.png(CHARTS["line"], STYLE, 6, 3, 100)[1:4] == b"PNG"
        assert drawer.pool is None  # the broken pool is gone; what was left was drawn here
    finally:
        drawer.close()


def test_a_build_started_from_a_script_without_a_main_guard_draws_its_charts(tmp_path: Path) -> None:
    """spawn runs such a script again in each worker, which breaks the pool: the charts are drawn in the build.
    From standard input (no file to run again) the pool works."""
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
drawer._start(2)
drawer.prefetch([(chart, style, 6, 3, 100), (chart, style, 5, 3, 100)])
assert drawer.png(chart, style, 6, 3, 100)[1:4] == b"PNG"
assert drawer.png(chart, style, 5, 3, 100)[1:4] == b"PNG"
drawer.close()
print("charts drawn")
""", encoding="utf-8")
    for run in (["python", str(script)], ["python", "-"]):
        result = subprocess.run([sys.executable, *run[1:]], input=script.read_text() if run[1] == "-" else None,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == "script ran" and result.stdout.splitlines()[-1] == "charts drawn"


def test_a_pool_is_used_only_where_it_can_pay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.store.charts import POOL_FROM, POOL_SETTING, pool_pays

    monkeypatch.setenv(POOL_SETTING, "never")  # as when no core is idle
    assert not pool_pays()
    busy = ChartDrawer(Store(tmp_path / "busy"))
    busy.warm_up(None)
    busy.prefetch([(CHARTS["bar"], STYLE, w, 3, 100) for w in range(2, 2 + POOL_FROM)])
    assert busy.pool is None and not busy.pending  # drawn here, as `png` asks
    monkeypatch.setenv(POOL_SETTING, "always")
    store = Store(tmp_path / "idle")
    idle = ChartDrawer(store)
    idle.warm_up(0)  # no picture in the talk: matplotlib is never loaded
    assert idle.pool is None
    store.put("charts", "k", b"a chart drawn on an earlier build")
    later = ChartDrawer(store)
    later.warm_up(None)  # charts were drawn here before: an edit rarely needs matplotlib
    assert later.pool is None
    later.prefetch([(CHARTS["bar"], STYLE, w, 3, 100) for w in range(2, 1 + POOL_FROM)])
    assert later.pool is None  # too few missing pictures to pay for starting a worker
    try:
        later.prefetch([(CHARTS["bar"], STYLE, w, 3, 100) for w in range(2, 2 + POOL_FROM)])
        assert later.pool is not None and len(later.pending) == POOL_FROM
    finally:
        later.close()
    assert later.pool is None
    monkeypatch.setenv(POOL_SETTING, "auto")
    monkeypatch.setattr("os.getloadavg", lambda: (8.0, 8.0, 8.0))  # both cores busy with other work
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert not pool_pays()
    loaded = ChartDrawer(store)
    loaded.prefetch([(CHARTS["line"], STYLE, w, 3, 100) for w in range(2, 2 + POOL_FROM)])
    assert loaded.pool is None  # a later build draws here when no core is idle
    first = ChartDrawer(Store(tmp_path / "first"))
    try:
        first.warm_up(None)
        assert first.pool is not None  # a first build draws in a worker all the same: no process holds both
    finally:
        first.close()
    loaded.pending.clear()


def test_a_first_build_starts_a_worker_before_it_knows_and_stops_it_when_no_picture_is_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.store.charts import POOL_SETTING

    monkeypatch.setenv(POOL_SETTING, "always")
    drawer = ChartDrawer(Store(tmp_path))
    try:
        drawer.warm_up(None)  # before the talk is loaded
        assert drawer.pool is not None
        processes = list(drawer.pool._processes.values())  # type: ignore[attr-defined]
        assert len(processes) == 1
        drawer.warm_up(0)  # the talk turned out to have no picture
        assert drawer.pool is None and not processes[0].is_alive()  # stopped, not left loading matplotlib
    finally:
        drawer.close()
    store = Store(tmp_path / "built-before")
    store.put("template-reads", "k", b"a template read on an earlier build")
    later = ChartDrawer(store)
    later.warm_up(None)
    assert later.pool is None  # not the first build here: nothing is started on a guess


def test_a_first_build_with_four_pictures_gets_a_second_worker_once_the_talk_is_loaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lecturegen.store.charts import POOL_SETTING

    monkeypatch.setenv(POOL_SETTING, "always")
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    drawer = ChartDrawer(Store(tmp_path))
    try:
        drawer.warm_up(None)  # before the talk is loaded: one worker, loading matplotlib
        assert drawer.pool is not None
        assert len(drawer.pool._processes) == 1  # type: ignore[attr-defined]
        drawer.warm_up(3)  # three pictures: one worker draws them
        assert len(drawer.pool._processes) == 1  # type: ignore[attr-defined]
        drawer.warm_up(4)
        assert len(drawer.pool._processes) == 2  # type: ignore[attr-defined]
        drawer.warm_up(9)  # never more than CHART_WORKERS
        assert len(drawer.pool._processes) == 2  # type: ignore[attr-defined]
    finally:
        drawer.close()


def test_the_picture_cache_key_covers_every_module_that_draws() -> None:
    """A module of the matplotlib drawer left out of the key would serve stale pictures after a fix."""
    from pathlib import Path

    import lecturegen
    from lecturegen.store.charts import CHART_PICTURE_SOURCES

    package = Path(lecturegen.__file__).parent
    drawing = {f"render/{p.name}" for p in (package / "render").glob("mpl_*.py")} | {"render/charts_mpl.py"}
    assert drawing <= set(CHART_PICTURE_SOURCES)
    assert all((package / name).is_file() for name in CHART_PICTURE_SOURCES)
