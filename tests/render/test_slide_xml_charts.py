"""Renderer tests: a revealed chart on a slide — a native chart built by series or category, a picture chart
as one picture per step, each on its own click."""

from __future__ import annotations

from lxml import etree

from lecturegen.model.chart import Chart, ChartSeries, Reference, options_for
from lecturegen.model.deck import Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.shapes import ChartShape
from lecturegen.ooxml import NS
from lecturegen.render.slide_xml import UID_TOKEN, slide_xml

A, P = f"{{{NS['a']}}}", f"{{{NS['p']}}}"


def _slide(reveal: str, native: bool, **options: object) -> Slide:
    chart = Chart("grouped-bar", ("Retest", "Divergent", "Criterion"),
                  (ChartSeries("UK", (0.73, 0.10, 0.69)), ChartSeries("US", (0.76, 0.12, 0.70))), "Alt text.", (),
                  options_for("grouped-bar", reveal=reveal, **options), native=native)  # fmt: skip
    return Slide(kind="chart", layout="title-only", title=(Run("T"),), chart=chart,
                 shapes=(ChartShape("Chart", Box(0, 0, 9_000_000, 4_000_000), native=native),))


def _tree(slide: Slide, frames: tuple[str, ...] = ()) -> etree._Element:
    native = slide.chart is not None and slide.chart.native
    xml = slide_xml(slide, "en-GB", None if native else "a" * 64, "k" if native else None, None, frames).xml
    return etree.fromstring(xml.replace(UID_TOKEN.encode(), b"s1"))


def _chart_targets(tree: etree._Element) -> list[tuple[str | None, str | None, str | None]]:
    return [(c.get("seriesIdx"), c.get("categoryIdx"), c.get("bldStep")) for c in tree.iter(f"{A}chart")]


def test_a_native_chart_built_by_series_takes_a_click_a_series() -> None:
    tree = _tree(_slide("series", True))
    assert _chart_targets(tree) == [("0", "-4", "series"), ("1", "-4", "series")]
    assert len(tree.findall(f".//{P}cTn[@nodeType='clickEffect']")) == 2
    build = tree.find(f".//{P}bldLst/{P}bldGraphic")
    assert build is not None and build.find(f"{P}bldSub/{A}bldChart").get("bld") == "series"  # type: ignore[union-attr]
    frame = tree.find(f".//{P}graphicFrame/{P}nvGraphicFramePr/{P}cNvPr")
    assert frame is not None and build.get("spid") == frame.get("id")


def test_reference_lines_come_with_the_first_series() -> None:
    tree = _tree(_slide("series", True, references=(Reference(0.5, "half"),)))
    assert _chart_targets(tree) == [("0", "-4", "series"), ("2", "-4", "series"), ("1", "-4", "series")]
    assert len(tree.findall(f".//{P}cTn[@nodeType='clickEffect']")) == 2  # the line is no click of its own


def test_a_native_chart_built_by_points_takes_a_click_a_category() -> None:
    tree = _tree(_slide("points", True))
    assert _chart_targets(tree) == [("-4", str(i), "category") for i in range(3)]
    assert tree.find(f".//{A}bldChart").get("bld") == "category"  # type: ignore[union-attr]


def test_an_unrevealed_chart_has_no_timing() -> None:
    assert _tree(_slide("none", True)).find(f".//{P}timing") is None


def test_a_picture_chart_shows_one_picture_a_step() -> None:
    tree = _tree(_slide("points", False), frames=("b" * 64, "c" * 64))
    pictures = tree.findall(f".//{P}pic")
    assert len(pictures) == 3
    names = [p.find(f"{P}nvPicPr/{P}cNvPr") for p in pictures]
    assert names[0] is not None and names[0].get("descr") == "Alt text."  # the first step carries the alt text
    assert [n.get("descr") for n in names[1:] if n is not None] == ["Alt text. (Step 2 of 3.)", "Alt text. (Step 3 of 3.)"]
    later = {n.get("id") for n in names[1:] if n is not None}
    targets = {t.get("spid") for t in tree.iter(f"{P}spTgt")}
    assert targets == later and len(tree.findall(f".//{P}cTn[@nodeType='clickEffect']")) == 2
