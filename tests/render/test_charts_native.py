"""Tests for editable PowerPoint charts: values read back, fonts, colours, error bars, alt text."""

from __future__ import annotations

import io
import math
import zipfile

import pytest
from pptx.chart.chart import Chart as PptxChart
from pptx.oxml import parse_xml
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Pt

from lecturegen.model.deck import Chart, ChartSeries
from lecturegen.model.chart import Reference, options_for
from lecturegen.render.chart_style import ChartStyle
from lecturegen.render.charts_native import excel_number_format, native_chart_parts

STYLE = ChartStyle(palette=("1F4E79", "E69F00"), accent="C0504D", muted="BFBFBF", font_family="Calibri")


class _Frame:
    """The chart part read back with python-pptx, as PowerPoint would read it."""

    def __init__(self, chart: Chart):
        xml, self.workbook = native_chart_parts(chart, STYLE, 1767225600)
        self.chart = PptxChart(parse_xml(xml), None)


def _roundtrip(chart: Chart) -> _Frame:
    return _Frame(chart)


def reliability(**options: object) -> Chart:
    opts = {"format": "r", "y_min": 0.8, "y_max": 1.0, "highlight": ("Clients",)}
    opts.update(options)
    return Chart(
        "bar",
        ("Therapists", "Clients", "UK", "US"),
        (ChartSeries("alpha", (0.85, 0.93, 0.91, 0.92), (0.83, 0.91, 0.89, 0.90), (0.87, 0.95, 0.93, 0.94)),),
        "Bar chart: alpha by sample: Therapists .85; Clients .93; UK .91; US .92.",
        (),
        options_for("bar", **opts),
        native=True,
    )


def test_values_read_back_and_alt_text() -> None:
    frame = _roundtrip(reliability())
    chart = frame.chart
    assert list(chart.plots[0].categories) == ["Therapists", "Clients", "UK", "US"]
    assert list(chart.series[0].values) == [0.85, 0.93, 0.91, 0.92]
    assert chart.value_axis.minimum_scale == 0.8 and chart.value_axis.maximum_scale == 1.0


def test_fonts_are_at_least_14_pt_everywhere() -> None:
    chart = _roundtrip(reliability()).chart
    sizes = [int(el.get("sz")) for el in chart._chartSpace.iter(qn("a:defRPr")) if el.get("sz")]
    assert sizes and min(sizes) >= 1400
    assert chart.font.size == Pt(18)
    assert chart.plots[0].data_labels.number_format == '#.00;"\u2212"#.00;0'


def test_highlight_is_a_per_point_fill() -> None:
    chart = _roundtrip(reliability()).chart
    points = chart.series[0].points
    assert str(points[1].format.fill.fore_color.rgb) == "C0504D"
    assert str(points[0].format.fill.fore_color.rgb) == "BFBFBF"


def test_error_bars_are_written_in_schema_order() -> None:
    ser = _roundtrip(reliability()).chart.plots[0]._element.find(qn("c:ser"))
    children = [etree_name(c) for c in ser]
    assert children.index("errBars") > children.index("dLbls") if "dLbls" in children else True
    assert children.index("errBars") < children.index("cat") < children.index("val")
    plus = [float(v.text) for v in ser.find(qn("c:errBars")).find(qn("c:plus")).iter(qn("c:v"))]
    assert plus == pytest.approx([0.02] * 4)


def etree_name(el) -> str:  # type: ignore[no-untyped-def]
    return el.tag.split("}")[1]


@pytest.mark.parametrize("kind", ["bar", "grouped-bar", "line", "stacked", "pie"])
def test_every_native_kind_reads_back(kind: str) -> None:
    series = (ChartSeries("UK", (0.73, 0.10, 0.69)),) if kind == "pie" else (
        ChartSeries("UK", (0.73, 0.10, 0.69)), ChartSeries("US", (0.76, 0.12, math.nan)))  # fmt: skip
    chart = Chart(kind, ("Retest", "Divergent", "Criterion"), series, "alt .73", (), options_for(kind, format="r"), native=True)
    frame = _roundtrip(chart)
    assert [list(s.values) for s in frame.chart.series][0] == [0.73, 0.10, 0.69]
    if kind != "pie":
        assert list(frame.chart.series[1].values) == [0.76, 0.12, None]


def test_workbook_cells_are_data_never_formulas() -> None:
    """A category or series name that starts with = + - @ is text in the embedded workbook."""
    hostile = ("=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2", "@SUM(A1)")
    chart = Chart("bar", hostile, (ChartSeries("=cmd|' /C calc'!A0", (1.0, 2.0, 3.0, 4.0)),), "alt", (), options_for("bar", **{}),
                  native=True)
    book = _roundtrip(chart).workbook
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    for text in ("HYPERLINK", "+1+1", "@SUM(A1)", "cmd|"):
        assert text in strings


def test_workbook_is_deterministic() -> None:
    assert _roundtrip(reliability()).workbook == _roundtrip(reliability()).workbook


def test_excel_number_formats() -> None:
    assert excel_number_format("int") == "#,##0"
    assert excel_number_format(".2f") == "0.00"
    assert excel_number_format(",.1f") == "#,##0.0"
    assert excel_number_format(None) == "General"


# ---------------------------------------------------------------------------------------------
# native and picture charts look alike


def test_text_names_the_decks_own_font() -> None:
    chart = _roundtrip(reliability()).chart
    faces = {el.get("typeface") for el in chart._chartSpace.iter(qn("a:latin"))}
    assert faces == {"Calibri"}  # the template's family, which PowerPoint shows (Carlito only measures it)


def test_bars_stand_on_zero_unless_the_axis_is_cut_and_then_the_chart_says_so() -> None:
    chart = _roundtrip(reliability(y_min=None, y_max=None)).chart
    # PowerPoint would start this axis near .84 on its own: close values, all positive.
    assert chart.value_axis.minimum_scale == 0
    assert not chart.has_title
    cut = _roundtrip(reliability(axis_note="Axis starts at .80, not zero")).chart
    assert cut.value_axis.minimum_scale == 0.8
    assert cut.has_title and cut.chart_title.text_frame.text == "Axis starts at .80, not zero."
    assert cut.value_axis.major_unit == pytest.approx(0.05)  # the picture's ticks: .80 .85 .90 .95 1.00


def test_gridlines_are_light_and_on_the_value_axis_only() -> None:
    chart = _roundtrip(reliability()).chart
    assert chart.value_axis.has_major_gridlines and not chart.category_axis.has_major_gridlines
    line = chart.value_axis.major_gridlines.format.line
    assert str(line.color.rgb) == STYLE.grid and line.width == Pt(1)


def test_reference_line_is_a_dashed_literal_series_outside_the_data() -> None:
    chart = reliability(references=(Reference(0.9, "α = .90"),))
    frame = _roundtrip(chart)
    line_chart = frame.chart._chartSpace.find(f".//{qn('c:lineChart')}")
    assert line_chart is not None
    ser = line_chart.find(qn("c:ser"))
    assert ser.find(f"{qn('c:tx')}/{qn('c:v')}").text == "α = .90"
    assert [float(v.text) for v in ser.iter(qn("c:v")) if v.getparent().tag == qn("c:pt")] == [0.9] * 4
    assert ser.find(f".//{qn('a:prstDash')}").get("val") == "dash"
    with zipfile.ZipFile(io.BytesIO(frame.workbook)) as archive:
        assert "α = .90" not in archive.read("xl/sharedStrings.xml").decode()  # a line to read by, not data


def test_a_category_without_a_value_says_not_reported() -> None:
    chart = Chart("bar", ("Pool", "Outcome study"), (ChartSeries("items", (36.0, math.nan)),), "alt", (),
                  options_for("bar", **{"format": "int"}), native=True)
    assert list(_roundtrip(chart).chart.plots[0].categories) == ["Pool", "Outcome study (not reported)"]


def test_colours_are_the_pictures_colours() -> None:
    from lecturegen.render.chart_style import chart_colours

    chart = Chart("grouped-bar", ("Middle", "High"), (ChartSeries("Lowest", (50.2, 61.8)),
                  ChartSeries("Overall", (57.8, 72.7)), ChartSeries("Highest", (64.7, 82.5))), "alt", (),
                  options_for("grouped-bar", **{"format": ".1f", "highlight": ("Overall",)}), native=True)  # fmt: skip
    series = _roundtrip(chart).chart.plots[0].series
    _, legend = chart_colours(chart, STYLE)
    assert [str(s.format.fill.fore_color.rgb) for s in series] == legend
    assert legend[1] == "C0504D" and legend[0] != legend[2]  # the two muted series stay apart


def test_a_value_with_its_text_is_a_label_of_its_own_on_that_point() -> None:
    from dataclasses import replace

    chart = replace(reliability(), labels=("", "[.91, .95]\u2002p = .010", "", ""))
    series = _roundtrip(chart).chart.series[0]
    texts = ["".join(t.text for t in series._element.iter(qn("a:t")) if t.text)]
    assert texts == [".93\u2002[.91, .95]\u2002p = .010"]
    label = series.points[1].data_label
    assert label.has_text_frame and label.text_frame.paragraphs[0].runs[0].font.bold  # the highlighted bar


def test_a_slope_chart_is_a_line_chart_named_at_its_ends() -> None:
    chart = Chart("slope", ("Before", "After"), (ChartSeries("At least 8 hours", (16.4, 54.7)),
                  ChartSeries("Under 8 hours", (83.6, 45.3))), "alt", (),
                  options_for("slope", format=".1f", highlight=("At least 8 hours",)), native=True)  # fmt: skip
    pc = _roundtrip(chart).chart
    assert pc.chart_type == XL_CHART_TYPE.LINE_MARKERS and not pc.has_legend
    assert not pc.value_axis.visible
    first = pc.series[0].points[0].data_label
    assert first.text_frame.text == "At least 8 hours\u200216.4" and first.position == XL_LABEL_POSITION.LEFT
    assert pc.series[1].points[1].data_label.position == XL_LABEL_POSITION.RIGHT
    assert pc.series[0].format.line.width > pc.series[1].format.line.width  # the highlighted line
