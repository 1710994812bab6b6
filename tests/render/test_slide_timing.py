"""Renderer tests: build animations — a click per paragraph group or shape set, fades, chart build steps."""

from __future__ import annotations

from lxml import etree

from lecturegen.model.chart import Chart, ChartSeries, options_for
from lecturegen.ooxml import NS
from lecturegen.render.slide_timing import chart_build, timing_xml

A, P = f"{{{NS['a']}}}", f"{{{NS['p']}}}"


def _tree(xml: str) -> etree._Element:
    return etree.fromstring(f'<p:sld xmlns:a="{NS["a"]}" xmlns:p="{NS["p"]}">{xml}</p:sld>')


def _chart(reveal: str) -> Chart:
    return Chart("grouped-bar", ("A", "B", "C"), (ChartSeries("UK", (1, 2, 3)), ChartSeries("US", (2, 3, 4))),
                 "Alt.", (), options_for("grouped-bar", reveal=reveal), native=True)


def test_each_paragraph_group_is_a_click_of_its_own() -> None:
    tree = _tree(timing_xml([(4, [(0, 0), (1, 2)])], fade=False))
    ranges = [(r.get("st"), r.get("end")) for r in tree.iter(f"{P}pRg")]
    assert ranges == [("0", "0"), ("1", "2")]
    assert len(tree.findall(f".//{P}cTn[@nodeType='clickEffect']")) == 2
    assert tree.find(f".//{P}animEffect") is None
    assert [b.get("build") for b in tree.iter(f"{P}bldP")] == ["p"]


def test_a_fade_adds_a_fade_effect_and_its_preset() -> None:
    tree = _tree(timing_xml([(4, [(0, 0)])], fade=True))
    assert tree.find(f".//{P}animEffect").get("filter") == "fade"
    assert tree.find(f".//{P}cTn[@nodeType='clickEffect']").get("presetID") == "10"


def test_shapes_shown_together_share_a_click_and_only_text_is_built() -> None:
    tree = _tree(timing_xml([], fade=False, shown=[[(5, True), (6, False)]]))
    assert len(tree.findall(f".//{P}cTn[@nodeType='clickEffect']")) == 1
    assert len(tree.findall(f".//{P}cTn[@nodeType='withEffect']")) == 1
    assert [b.get("spid") for b in tree.iter(f"{P}bldP")] == ["5"]


def test_chart_build_steps_by_series_and_by_category() -> None:
    by_series = chart_build(7, _chart("series"))
    assert len(by_series) == 2 and all(len(step) == 1 for step in by_series)
    assert 'seriesIdx="1"' in str(by_series[1][0][0])
    assert len(chart_build(7, _chart("points"))) == 3
