"""Compile tests: `_chart` gives a chart spec's words and binds a chart slide to its dataset; the tests check which
words are read and where, and that binding sets the chart, the caption and the data's sources as the source line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from lecturegen.compile.kinds._chart import bind, chart_texts
from lecturegen.compile.kinds.base import KindContext
from lecturegen.compile.text import TextResolver
from lecturegen.diagnostics import Diagnostics, Location
from lecturegen.model.deck import Run, Slide
from lecturegen.sources.charts import ChartSpec, ReferenceLine
from lecturegen.sources.data import DataColumn, Dataset
from lecturegen.sources.specs import TextSpec
from tests.compile.kinds.kit import deck, slides_of

CHART_AT = Location("s.yaml", 4, 5)
SLIDE_AT = Location("s.yaml", 1, 3)
SIDECAR_AT = Location("content/data/sessions.yaml", 2, 9)


def _loc(line: int) -> Location:
    return Location("s.yaml", line, 7)


def _spec(**keys: Any) -> ChartSpec:
    """A bar chart of the sessions dataset, each key written on its own line (10 onwards) of s.yaml."""
    written = ("type", "data", "x", "y", "x_title", "y_title", "note", "reference")
    spec = ChartSpec("bar", CHART_AT, data="sessions", x="year", y=("sessions",),
                     key_locations=tuple((key, _loc(10 + i)) for i, key in enumerate(written)))
    return replace(spec, **keys)


def _dataset(source: tuple[str, ...], source_location: Location | None) -> Dataset:
    columns = (DataColumn("year", "text", ("2005", "2010")), DataColumn("sessions", "integer", (12, 20)))
    return Dataset("sessions", "Sessions a year", columns, source, "made up", "", True,
                   Location("content/data/sessions.csv"), rows=2, lines=(2, 3), source_location=source_location)


def _context(dataset: Dataset) -> KindContext:
    diags = Diagnostics()
    return KindContext(TextResolver(diags, {}), diags, {"sessions": dataset}, {}, final=False)


def _slide() -> Slide:
    return Slide(kind="chart", layout="title-only", title=(Run("Sessions grew"),), location=SLIDE_AT)


def test_a_charts_words_are_its_axis_titles_note_and_reference_labels_where_each_was_written() -> None:
    spec = _spec(x_title="Year", y_title="Sessions", note="Made up",
                 reference=(ReferenceLine(10.0, "Target"), ReferenceLine(15.0, "Stretch")))
    assert [(t.text, t.location) for t in chart_texts(spec)] == [
        ("Year", _loc(14)), ("Sessions", _loc(15)), ("Made up", _loc(16)), ("Target", _loc(17)), ("Stretch", _loc(17))]


def test_blank_words_and_unlabelled_reference_lines_are_no_words_and_no_chart_has_none() -> None:
    spec = _spec(x_title="  ", y_title=None, note="", reference=(ReferenceLine(10.0), ReferenceLine(12.0, "Aim")))
    assert chart_texts(spec) == (TextSpec("Aim", _loc(17)),)
    assert chart_texts(None) == ()


def test_binding_sets_the_chart_the_caption_and_the_datas_sources_cited_where_the_sidecar_names_them() -> None:
    ctx = _context(_dataset(("cooper2005", "knox2010"), SIDECAR_AT))
    slide = bind(_spec(), TextSpec("Two years", SLIDE_AT), SLIDE_AT, _slide(), ctx)
    assert ctx.diags.items == []
    assert slide.chart is not None and slide.chart.categories == ("2005", "2010")
    assert [s.values for s in slide.chart.series] == [(12.0, 20.0)]
    assert slide.caption == (Run("Two years"),)
    assert slide.sources == slide.chart.source
    assert [(r.text, r.cited) for r in slide.sources] == [("Sources: ", False), ("cooper2005", True), ("; ", False),
                                                         ("knox2010", True)]
    assert [(c.items[0].key, c.location) for c in ctx.text.collected] == [("cooper2005", SIDECAR_AT),
                                                                          ("knox2010", SIDECAR_AT)]


def test_one_source_is_a_source_and_without_a_sidecar_location_it_is_cited_at_the_slide() -> None:
    ctx = _context(_dataset(("cooper2005",), None))
    slide = bind(_spec(), None, SLIDE_AT, _slide(), ctx)
    assert slide.caption == ()
    assert [r.text for r in slide.sources] == ["Source: ", "cooper2005"]
    assert [c.location for c in ctx.text.collected] == [SLIDE_AT]


def test_a_chart_that_cannot_be_bound_leaves_no_chart_and_no_source_line_but_keeps_the_caption() -> None:
    ctx = _context(_dataset(("cooper2005",), SIDECAR_AT))
    slide = bind(_spec(y=("sesions",)), TextSpec("Two years", SLIDE_AT), SLIDE_AT, _slide(), ctx)
    assert slide.chart is None and slide.sources == ()
    assert slide.caption == (Run("Two years"),)
    assert [(d.code, d.location) for d in ctx.diags.errors] == [("chart.unknown-column", _loc(13))]


def test_in_a_built_deck_the_source_line_names_every_work_of_the_data(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: finding
          title: Sessions grew
          chart: {type: bar, data: sessions, x: year, y: [sessions]}
        """, {
        "content/data/sessions.csv": "year,sessions\n2005,12\n2010,20\n",
        "content/data/sessions.yaml": "title: Sessions a year\nsource: [cooper2005, knox2010]\nwhere: made up\n"
                                      "illustrative: true\ncolumns:\n  year: text\n  sessions: integer\n",
    })
    slide = slides_of(built, "finding")[0]
    assert "".join(r.text for r in slide.sources) == "Sources: Cooper (2005); Knox and Cooper (2010)"
