"""Compile tests: the finding kind — a chart or a number (not both), located; the chart bound to its data and
placed in the free area, or the number set large in the middle of the content layout."""

from __future__ import annotations

from pathlib import Path

from lecturegen.compile.kinds import KINDS, kind_role
from lecturegen.compile.kinds.finding import FindingSpec
from lecturegen.model.shapes import ChartShape, TextShape
from tests.compile.kinds.finding_data import DATA
from tests.compile.kinds.kit import deck, inside, parse, slides_of



def test_one_piece_of_evidence_located() -> None:
    _, problems = parse("finding", "kind: finding\ncontext: of them\n")
    assert problems == ["s.yaml:1:1: error: finding slide is missing the required key 'number' [yaml.missing-key]"]
    spec, problems = parse("finding", "kind: finding\nnumber: '8'\nchart: {type: bar, data: d, x: a, y: b}\n")
    assert problems == ["s.yaml:2:9: error: a finding shows one piece of evidence: a 'chart' or a 'number', "
                        "not both [outline.finding]"]
    assert isinstance(spec, FindingSpec) and spec.chart is not None and spec.chart.type == "bar"
    assert kind_role("finding") == "title-only" and KINDS["finding"].minimum_minutes == 0.5


def test_the_spec_reads_the_charts_words_too() -> None:
    spec, _ = parse("finding", "kind: finding\ncaption: Cap\nchart: {type: bar, data: d, x: a, y: b, "
                               "x_title: Year}\n")
    assert isinstance(spec, FindingSpec) and [t.text for t in spec.texts()] == ["Cap", "Year"]


def test_a_number_or_a_chart_built_and_placed(tmp_path: Path) -> None:
    built, _ = deck(tmp_path, """\
        - kind: finding
          title: Most met their clients deeply
          number: "8 of 8"
          context: therapists interviewed
        - kind: finding
          title: Sessions grew
          caption: Two years compared
          chart: {type: bar, data: sessions, x: year, y: [sessions]}
        """, DATA)
    number, charted = slides_of(built, "finding")
    assert number.layout == "content" and [p.style for p in number.body] == ["big", "context"]
    body = next(s for s in number.shapes if isinstance(s, TextShape) and s.role == "body")
    assert inside(body, built) and body.anchor == "ctr"
    assert charted.layout == "title-only" and charted.chart is not None and charted.sources
    chart = next(s for s in charted.shapes if isinstance(s, ChartShape))
    assert inside(chart, built)
