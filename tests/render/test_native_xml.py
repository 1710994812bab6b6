"""Renderer tests for native_xml: reference lines as literal line series, custom error bars, number caches."""

from __future__ import annotations

import math

from lxml import etree
from pptx.oxml.ns import qn

from lecturegen.model.chart import Chart, ChartSeries, Reference, options_for
from lecturegen.render.charts_native import native_chart_parts
from lecturegen.render.native_xml import num_lit, positive_axis_ids
from tests.render.test_charts_mpl import STYLE


def _space(kind: str = "bar", **options: object) -> etree._Element:
    chart = Chart(kind, ("a", "b", "c"), (ChartSeries("s", (0.85, 0.93, 0.91), (0.8, 0.9, 0.88), (0.9, 0.96, 0.94)),
                  ChartSeries("t", (0.8, 0.9, 0.9))), "alt", (), options_for(kind, format="r", **options), native=True)  # fmt: skip
    xml, _ = native_chart_parts(chart, STYLE, 0)
    return etree.fromstring(xml)


def test_a_reference_line_is_a_dashed_series_of_literal_values_out_of_the_legend() -> None:
    space = _space(references=(Reference(0.9, "α = .90"),))
    lines = space.findall(f".//{qn('c:lineChart')}")
    assert len(lines) == 1
    ser = lines[0].find(qn("c:ser"))
    assert ser is not None and ser.find(f"{qn('c:tx')}/{qn('c:v')}").text == "α = .90"  # type: ignore[union-attr]
    values = [float(v.text or "") for v in ser.iter(qn("c:v")) if v.getparent().tag == qn("c:pt")]  # type: ignore[union-attr]
    assert values == [0.9, 0.9, 0.9]
    assert ser.find(f".//{qn('a:prstDash')}").get("val") == "dash"  # type: ignore[union-attr]
    hidden = [e.find(qn("c:idx")).get("val") for e in space.iter(qn("c:legendEntry"))]  # type: ignore[union-attr]
    assert hidden == ["2"]


def test_a_horizontal_bar_chart_gets_no_reference_series() -> None:
    assert _space(orientation="horizontal", references=(Reference(0.9),)).find(f".//{qn('c:lineChart')}") is None


def test_intervals_become_custom_error_bars_from_their_ends() -> None:
    bars = _space().find(f".//{qn('c:errBars')}")
    assert bars is not None and bars.find(qn("c:errValType")).get("val") == "cust"  # type: ignore[union-attr]
    plus = [round(float(v.text or ""), 6) for v in bars.find(qn("c:plus")).iter(qn("c:v"))]  # type: ignore[union-attr]
    assert plus == [0.05, 0.03, 0.03]


def test_a_number_cache_skips_missing_values_and_axis_ids_are_positive() -> None:
    lit = num_lit([1.0, math.nan, 3.0])
    assert [pt.get("idx") for pt in lit.iter(qn("c:pt"))] == ["0", "2"]
    assert lit.find(qn("c:ptCount")).get("val") == "3"  # type: ignore[union-attr]
    space = etree.fromstring(f'<c:x xmlns:c="{qn("c:x")[1:].split("}")[0]}"><c:axId val="-5"/></c:x>')
    positive_axis_ids(space)
    assert int(space[0].get("val") or "0") > 0
