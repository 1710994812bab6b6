"""compile/import_charts.py: an imported native chart becomes a dataset (CSV + sidecar) and a chart slide."""

from __future__ import annotations

import csv
import io

from lecturegen.compile.import_charts import ChartDatasets, outline_file, slug
from lecturegen.model.roundtrip import ShapeText


def _chart(kind: str, series: tuple[tuple[str, tuple[float | None, ...]], ...]) -> ShapeText:
    return ShapeText("Chart 1", 4, "", kind="chart", chart=(kind, ("North", "South"), series))


def test_a_bar_chart_becomes_a_csv_a_sidecar_and_a_chart_slide() -> None:
    datasets = ChartDatasets("deck-talk", "talk.pptx")
    slide = datasets.chart_slide(_chart("bar", (("2024", (1.5, None)), ("2024", (2.0, 3.0)))), "Sales", "slide 3")
    assert slide == {"kind": "chart", "chart": {"type": "grouped-bar", "data": "sales", "x": "category",
                                                "y": ["2024", "2024 (2)"], "native": True}}
    rows = list(csv.reader(io.StringIO(datasets.files["content/data/sales.csv"])))
    assert rows == [["category", "2024", "2024 (2)"], ["North", "1.5", "2"], ["South", "", "3"]]
    sidecar = datasets.files["content/data/sales.yaml"]
    assert "source:\n  - deck-talk\nwhere: slide 3 of talk.pptx (a native chart)\n" in sidecar
    assert "  category: text\n  '2024': number\n" in sidecar


def test_a_pie_keeps_its_first_series_and_names_do_not_clash() -> None:
    datasets = ChartDatasets("deck-talk", "talk.pptx")
    first = datasets.chart_slide(_chart("pie", (("Share", (60.0, 40.0)), ("Other", (1.0, 2.0)))), "Share", "slide 1")
    second = datasets.chart_slide(_chart("line", (("", (1.0, 2.0)),)), "Share", "slide 2")
    assert first["chart"]["type"] == "pie" and first["chart"]["y"] == "Share"
    assert second["chart"] == {"type": "line", "data": "share-2", "x": "category", "y": "series 1", "native": True}
    assert sorted(datasets.files) == ["content/data/share-2.csv", "content/data/share-2.yaml",
                                      "content/data/share.csv", "content/data/share.yaml"]


def test_slugs_are_unique_and_files_start_with_their_comment() -> None:
    taken: set[str] = set()
    assert [slug(t, taken) for t in ("Why it matters!", "Why it matters", "")] == \
        ["why-it-matters", "why-it-matters-2", "section"]
    assert outline_file({"title": "Intro"}, "# made here") == "# made here\ntitle: Intro\n"
