"""Render layer: chart XML python-pptx has no API for — reference lines as line series of literal values, custom
error bars, literal number caches, and axis ids the schema accepts."""

from __future__ import annotations

import math

from lxml import etree
from pptx.oxml.ns import qn
from pptx.util import Pt

from lecturegen.model.chart import Chart, native_reference_lines
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle


def positive_axis_ids(chart_space: etree._Element) -> None:
    """python-pptx's template uses negative axis ids, which ST_UnsignedInt forbids; keep them paired."""
    for tag in ("c:axId", "c:crossAx"):
        for el in chart_space.iter(qn(tag)):
            val = int(el.get("val", "0"))
            if val < 0:
                el.set("val", str(val & 0x7FFFFFFF))


def reference_line_series(chart_space: etree._Element, chart: Chart, style: ChartStyle) -> None:
    """Dashed reference lines as in the pictures: a line series of literal values (not data: nothing goes into
    the workbook) across a column or line chart, its label after the last category, out of the legend."""
    refs = native_reference_lines(chart)
    if not refs:
        return
    plot_area = chart_space.find(f"{qn('c:chart')}/{qn('c:plotArea')}")
    if plot_area is None:
        return
    first = next((el for el in plot_area if el.tag in (qn("c:barChart"), qn("c:lineChart"))), None)
    if first is None:
        return
    axis_ids = [el.get("val", "") for el in first.findall(qn("c:axId"))]
    n, existing = len(chart.categories), len(chart.series)
    line_chart = etree.Element(qn("c:lineChart"))
    etree.SubElement(line_chart, qn("c:grouping")).set("val", "standard")
    etree.SubElement(line_chart, qn("c:varyColors")).set("val", "0")
    colour = style.text.strip().lstrip("#").upper()
    size = str(int(max(MIN_TEXT_PT, style.small_pt) * 100))
    for k, ref in enumerate(refs):
        value, label = ref.value, ref.label
        ser = etree.SubElement(line_chart, qn("c:ser"))
        etree.SubElement(ser, qn("c:idx")).set("val", str(existing + k))
        etree.SubElement(ser, qn("c:order")).set("val", str(existing + k))
        etree.SubElement(etree.SubElement(ser, qn("c:tx")), qn("c:v")).text = label or " "
        ln = etree.SubElement(etree.SubElement(ser, qn("c:spPr")), qn("a:ln"))
        ln.set("w", str(Pt(1.6)))
        etree.SubElement(etree.SubElement(ln, qn("a:solidFill")), qn("a:srgbClr")).set("val", colour)
        etree.SubElement(ln, qn("a:prstDash")).set("val", "dash")
        etree.SubElement(etree.SubElement(ser, qn("c:marker")), qn("c:symbol")).set("val", "none")
        if label:
            _reference_label(ser, n, colour, size, style.font_family)
        values = [float(value)] * n
        etree.SubElement(ser, qn("c:val")).append(num_lit(values))
        etree.SubElement(ser, qn("c:smooth")).set("val", "0")
    etree.SubElement(line_chart, qn("c:marker")).set("val", "1")
    for axis_id in axis_ids:
        etree.SubElement(line_chart, qn("c:axId")).set("val", axis_id)
    first.addnext(line_chart)
    legend = chart_space.find(f"{qn('c:chart')}/{qn('c:legend')}")
    if legend is not None:
        position = legend.find(qn("c:legendPos"))
        for k in range(len(refs)):
            entry = etree.Element(qn("c:legendEntry"))
            etree.SubElement(entry, qn("c:idx")).set("val", str(existing + k))
            etree.SubElement(entry, qn("c:delete")).set("val", "1")
            (position.addnext(entry) if position is not None else legend.insert(0, entry))


def num_lit(values: list[float]) -> etree._Element:
    lit = etree.Element(qn("c:numLit"))
    etree.SubElement(lit, qn("c:formatCode")).text = "General"
    etree.SubElement(lit, qn("c:ptCount")).set("val", str(len(values)))
    for i, v in enumerate(values):
        if math.isnan(v):
            continue
        pt = etree.SubElement(lit, qn("c:pt"))
        pt.set("idx", str(i))
        etree.SubElement(pt, qn("c:v")).text = repr(float(v))
    return lit


def error_bars(
    ser: etree._Element,
    values: tuple[float, ...],
    lows: tuple[float, ...],
    highs: tuple[float, ...],
    line: bool,
    style: ChartStyle,
) -> None:
    """Custom plus/minus error bars from absolute interval ends; python-pptx has no API for them."""
    plus = [h - v if not (math.isnan(h) or math.isnan(v)) else math.nan for v, h in zip(values, highs)]
    minus = [v - lo if not (math.isnan(lo) or math.isnan(v)) else math.nan for v, lo in zip(values, lows)]
    bars = etree.Element(qn("c:errBars"))
    if line:
        etree.SubElement(bars, qn("c:errDir")).set("val", "y")
    etree.SubElement(bars, qn("c:errBarType")).set("val", "both")
    etree.SubElement(bars, qn("c:errValType")).set("val", "cust")
    etree.SubElement(bars, qn("c:noEndCap")).set("val", "0")
    etree.SubElement(bars, qn("c:plus")).append(num_lit(plus))
    etree.SubElement(bars, qn("c:minus")).append(num_lit(minus))
    sp = etree.SubElement(bars, qn("c:spPr"))
    ln = etree.SubElement(sp, qn("a:ln"))
    ln.set("w", str(Pt(2)))
    fill = etree.SubElement(ln, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", style.text.strip().lstrip("#").upper())
    # CT_BarSer / CT_LineSer: … dLbls, trendline*, errBars, cat, val …
    anchor = ser.find(qn("c:cat"))
    if anchor is None:
        anchor = ser.find(qn("c:val"))
    if anchor is not None:
        anchor.addprevious(bars)
    else:
        ser.append(bars)


def _reference_label(ser: etree._Element, n: int, colour: str, size: str, font_family: str) -> None:
    """A reference line's label: its series name, on its last point, moved right past the last category."""
    labels = etree.SubElement(ser, qn("c:dLbls"))
    point = etree.SubElement(labels, qn("c:dLbl"))
    etree.SubElement(point, qn("c:idx")).set("val", str(n - 1))
    # Moved right by about half a category slot (a fraction of the chart's width): past the last bar,
    # where the picture charts write it.
    manual = etree.SubElement(etree.SubElement(point, qn("c:layout")), qn("c:manualLayout"))
    etree.SubElement(manual, qn("c:x")).set("val", f"{0.42 / n:.4f}")
    etree.SubElement(manual, qn("c:y")).set("val", "0")
    rich_text = etree.SubElement(point, qn("c:txPr"))
    etree.SubElement(rich_text, qn("a:bodyPr"))
    etree.SubElement(rich_text, qn("a:lstStyle"))
    rpr = etree.SubElement(etree.SubElement(etree.SubElement(rich_text, qn("a:p")), qn("a:pPr")), qn("a:defRPr"))
    rpr.set("sz", size)
    etree.SubElement(etree.SubElement(rpr, qn("a:solidFill")), qn("a:srgbClr")).set("val", colour)
    etree.SubElement(rpr, qn("a:latin")).set("typeface", font_family)
    for tag, val in (("dLblPos", "r"), ("showLegendKey", "0"), ("showVal", "0"), ("showCatName", "0"),
                     ("showSerName", "1"), ("showPercent", "0"), ("showBubbleSize", "0")):
        etree.SubElement(point, qn(f"c:{tag}")).set("val", val)
    for tag in ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent", "showBubbleSize"):
        etree.SubElement(labels, qn(f"c:{tag}")).set("val", "0")
