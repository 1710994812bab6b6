"""Tests for render/chart_version.py: the renderer's version keys the chart store, and costs no matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lecturegen.store.charts as store_charts
from lecturegen.model.chart import options_for
from lecturegen.model.deck import Chart, ChartSeries
from lecturegen.render.chart_style import ChartStyle
from lecturegen.render.chart_version import RENDERER_VERSION
from lecturegen.store.charts import ChartDrawer, cache_key
from lecturegen.store.disk import Store

REPO = Path(__file__).resolve().parents[2]
CHART = Chart("bar", ("Therapists", "Clients"), (ChartSeries("alpha", (0.85, 0.93)),), "Reliability by sample", (),
              options_for("bar", format="r"))
STYLE = ChartStyle(palette=("1F4E79", "E69F00"), accent="C0504D", font_family="Calibri")


def test_the_version_is_a_plain_string() -> None:
    assert isinstance(RENDERER_VERSION, str) and RENDERER_VERSION.strip() == RENDERER_VERSION != ""


def test_the_store_and_the_renderer_use_this_one_constant() -> None:
    from lecturegen.render import charts_mpl

    assert store_charts.RENDERER_VERSION is RENDERER_VERSION
    assert charts_mpl.RENDERER_VERSION is RENDERER_VERSION


def test_a_new_version_changes_every_chart_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key(CHART, STYLE, 8, 4.5, 100)
    assert cache_key(CHART, STYLE, 8, 4.5, 100) == before
    monkeypatch.setattr(store_charts, "RENDERER_VERSION", RENDERER_VERSION + ".1")
    assert cache_key(CHART, STYLE, 8, 4.5, 100) != before


def test_a_picture_stored_under_an_older_version_is_not_served(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    store.put("charts", cache_key(CHART, STYLE, 6, 3, 50), b"drawn by the older renderer")
    assert ChartDrawer(store, parallel=False).png(CHART, STYLE, 6, 3, 50) == b"drawn by the older renderer"
    monkeypatch.setattr(store_charts, "RENDERER_VERSION", RENDERER_VERSION + ".1")
    png = ChartDrawer(store, parallel=False).png(CHART, STYLE, 6, 3, 50)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_reading_the_version_and_keying_a_chart_import_no_matplotlib() -> None:
    code = ("import sys\n"
            "from lecturegen.render.chart_version import RENDERER_VERSION\n"
            "import lecturegen.store.charts\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported'\n"
            "print(RENDERER_VERSION)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == RENDERER_VERSION
