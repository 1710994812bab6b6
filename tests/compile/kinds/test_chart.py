"""Compile tests: the chart kind — its chart required and read with located problems, its words in its own spec,
the chart bound to its data with the data's source as the source line, and placed in the free content area."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.chart import ChartSlideSpec
from lecturegen.model.shapes import ChartShape
from tests.compile.kinds.finding_data import DATA
from tests.compile.kinds.kit import deck, inside, parse, slides_of


def test_the_chart_is_required_and_its_problems_are_located() -> None:
    spec, problems = parse("chart", "kind: chart\ncaption: Cap\n")
    assert problems == ["s.yaml:1:1: error: chart slide is missing the required key 'chart' [yaml.missing-key]"]
    assert isinstance(spec, ChartSlideSpec) and spec.chart is None
    _, problems = parse("chart", "kind: chart\nchart: {type: bra, data: d, x: a, y: b}\n")
    assert len(problems) == 1 and problems[0].startswith("s.yaml:2:") and "'bra'" in problems[0]


def test_the_spec_holds_the_caption_and_the_charts_words() -> None:
    spec, problems = parse("chart", "kind: chart\ncaption: Two years\nchart: {type: bar, data: d, x: a, y: b, "
                                    "y_title: Sessions}\n")
    assert problems == [] and isinstance(spec, ChartSlideSpec)
    assert [(t.text, t.location.line) for t in spec.texts()] == [("Two years", 2), ("Sessions", 3)]


def test_entry() -> None:
    assert KINDS["chart"].keys == frozenset({"chart", "caption"})
    assert kind_role("chart") == "title-only" and KINDS["chart"].minimum_minutes == 1.25


def test_bound_to_its_data_and_placed_in_the_free_area(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: chart
          title: Sessions grew
          caption: Two years compared
          chart: {type: bar, data: sessions, x: year, y: [sessions]}
        """, DATA)
    slide = slides_of(built, "chart")[0]
    assert slide.layout == "title-only" and slide.chart is not None
    assert slide.chart.categories == ("2005", "2010") and slide.sources
    assert "".join(r.text for r in slide.caption) == "Two years compared"
    chart = next(s for s in slide.shapes if isinstance(s, ChartShape))
    assert inside(chart, built)
