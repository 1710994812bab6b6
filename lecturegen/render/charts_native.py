"""Render layer: a bound Chart → an editable PowerPoint chart (python-pptx, plus XML it has no API for)."""

from __future__ import annotations

import math
import re
from typing import Any

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.oxml.ns import qn
from pptx.util import Pt

from lecturegen.model.chart import Chart
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle

NATIVE_TYPES = frozenset({"bar", "grouped-bar", "line", "stacked", "pie"})
_GRID = 12700 // 2  # half a point, in EMU


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.strip().lstrip("#").upper())


def excel_number_format(fmt: str | None) -> str:
    """The chart's number style as an Excel format code (what PowerPoint's labels understand)."""
    if not fmt or fmt == "g":
        return "General"
    if fmt == "int":
        return "#,##0"
    if fmt in ("r", "r2", "r3"):
        zeros = "000" if fmt == "r3" else "00"
        # No leading zero, and a real minus sign, as in the picture charts.
        return f'#.{zeros};"\u2212"#.{zeros};0'
    match = re.fullmatch(r"(,?)\.(\d+)([f%])", fmt)
    if match:
        comma, digits, kind = match.groups()
        body = ("#,##0" if comma else "0") + ("." + "0" * int(digits) if int(digits) else "")
        return body + ("%" if kind == "%" else "")
    if fmt.endswith("d"):
        return "#,##0" if "," in fmt else "0"
    return "General"


def _chart_type(chart: Chart) -> Any:
    horizontal = chart.options.get("orientation") == "horizontal"
    if chart.type in ("bar", "grouped-bar"):
        return XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    if chart.type == "stacked":
        # A single stacked bar (part of a whole) reads left to right.
        if horizontal or len(chart.categories) == 1:
            return XL_CHART_TYPE.BAR_STACKED
        return XL_CHART_TYPE.COLUMN_STACKED
    if chart.type == "line":
        return XL_CHART_TYPE.LINE_MARKERS
    if chart.type == "pie":
        return XL_CHART_TYPE.DOUGHNUT
    raise NotImplementedError(f"no native PowerPoint chart for chart type {chart.type!r}")


MAX_CATEGORIES = 1_000
MAX_SERIES = 50


def native_chart_parts(chart: Chart, style: ChartStyle, timestamp: int) -> tuple[bytes, bytes]:
    """The chart part's XML and its embedded workbook, for a chart PowerPoint can edit."""
    from pptx.chart.chart import Chart as PptxChart
    from pptx.oxml import parse_xml

    if len(chart.categories) > MAX_CATEGORIES or len(chart.series) > MAX_SERIES:
        raise ValueError("native chart too large")  # bind refuses such data first; this is a second line
    xl_type = _chart_type(chart)
    fmt = excel_number_format(chart.options.get("format"))
    data = CategoryChartData(number_format=fmt)
    data.categories = list(chart.categories)
    for s in chart.series:
        data.add_series(s.name, [None if math.isnan(v) else v for v in s.values])
    chart_space = parse_xml(data.xml_bytes(xl_type))
    pc = PptxChart(chart_space, None)
    size = Pt(max(MIN_TEXT_PT, style.font_size_pt))

    # Chart-wide text properties first, then each text part explicitly: PowerPoint's defaults are 10 pt.
    pc.font.size = size
    pc.font.name = style.font_family
    pc.font.color.rgb = _rgb(style.text)
    pc.has_title = False
    multi = len(chart.series) > 1
    pc.has_legend = multi or chart.type == "pie"
    if pc.has_legend:
        pc.legend.position = XL_LEGEND_POSITION.RIGHT if chart.type == "pie" else (
            XL_LEGEND_POSITION.BOTTOM if chart.type == "stacked" and len(chart.categories) == 1 else XL_LEGEND_POSITION.TOP
        )  # fmt: skip
        pc.legend.include_in_layout = False
        pc.legend.font.size = size
        pc.legend.font.name = style.font_family

    plot = pc.plots[0]
    if chart.type != "pie":
        plot.vary_by_categories = False
    if chart.type in ("bar", "grouped-bar", "stacked"):
        plot.gap_width = 60
        # Long data coloured by group has one value per category: bars share one slot.
        one_per_cat = multi and all(sum(not math.isnan(s.values[i]) for s in chart.series) <= 1 for i in range(len(chart.categories)))
        plot.overlap = 100 if chart.type == "stacked" or one_per_cat else (-5 if multi else 0)
    _colour_series(pc, chart, style)

    if chart.options.get("value_labels", True):
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.font.size = Pt(max(MIN_TEXT_PT, style.font_size_pt * 0.95))
        labels.font.name = style.font_family
        labels.number_format = fmt
        labels.number_format_is_linked = False
        labels.show_value = True
        if chart.type == "stacked":
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            labels.font.bold = True
        elif chart.type in ("bar", "grouped-bar"):
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        elif chart.type == "line":
            labels.position = XL_LABEL_POSITION.ABOVE

    if chart.type != "pie":
        _axes(pc, chart, style, fmt)
    for ser, s in zip(pc.plots[0]._element.iter(qn("c:ser")), chart.series):
        if s.errors_low is not None and s.errors_high is not None:
            _error_bars(ser, s.values, s.errors_low, s.errors_high, chart.type == "line", style)
    _positive_axis_ids(chart_space)
    xml = etree.tostring(chart_space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml, _workbook(data, timestamp)


def _workbook(data: CategoryChartData, timestamp: int) -> bytes:
    """The chart's data as a workbook in which every cell is data: text starting with = + - @ stays text."""
    from datetime import datetime, timezone

    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class _DataOnly(CategoryWorkbookWriter):  # type: ignore[misc]
        def _open_worksheet(self, xlsx_file: Any) -> Any:
            from contextlib import contextmanager

            @contextmanager
            def opened() -> Any:
                workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False, "strings_to_numbers": False})
                workbook.set_properties({"created": datetime.fromtimestamp(max(timestamp, 315532800),
                                                                           tz=timezone.utc).replace(tzinfo=None)})
                worksheet = workbook.add_worksheet()
                yield workbook, worksheet
                workbook.close()

            return opened()

    writer = _DataOnly(data)
    blob: bytes = writer.xlsx_blob
    from lecturegen.render.package import normalise_zip

    return normalise_zip(blob, timestamp)


def _positive_axis_ids(chart_space: etree._Element) -> None:
    """python-pptx's template uses negative axis ids, which ST_UnsignedInt forbids; keep them paired."""
    for tag in ("c:axId", "c:crossAx"):
        for el in chart_space.iter(qn(tag)):
            val = int(el.get("val", "0"))
            if val < 0:
                el.set("val", str(val & 0x7FFFFFFF))


def _colour_series(pc: Any, chart: Chart, style: ChartStyle) -> None:
    palette = [c for c in style.palette] or ["0072B2"]
    highlight = set(chart.options.get("highlight") or ())
    mute = set(chart.options.get("mute") or ())
    plot = pc.plots[0]
    if chart.type == "pie":
        series = plot.series[0]
        for i, cat in enumerate(chart.categories):
            colour = palette[i % len(palette)]
            if highlight:
                colour = style.accent if cat in highlight else style.muted
            if cat in mute:
                colour = style.muted
            fill = series.points[i].format.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(colour)
            series.points[i].format.line.color.rgb = _rgb(style.background)
        return
    single = len(chart.series) == 1
    series_hl = highlight & {s.name for s in chart.series}
    cat_hl = highlight & set(chart.categories)
    for j, (ser, s) in enumerate(zip(plot.series, chart.series)):
        base = palette[0] if single else palette[j % len(palette)]
        if series_hl:
            base = style.accent if s.name in series_hl else style.muted
        if s.name in mute:
            base = style.muted
        if chart.type == "line":
            ser.format.line.color.rgb = _rgb(base)
            ser.format.line.width = Pt(3)
            ser.smooth = False
            ser.marker.format.fill.solid()
            ser.marker.format.fill.fore_color.rgb = _rgb(base)
            ser.marker.format.line.color.rgb = _rgb(base)
            continue
        ser.invert_if_negative = False
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = _rgb(base)
        if chart.type == "stacked":
            ser.format.line.color.rgb = _rgb(style.background)
        for i, cat in enumerate(chart.categories):
            if cat_hl or cat in mute:
                colour = (style.accent if single else base) if cat in cat_hl else style.muted
                if cat in mute:
                    colour = style.muted
                fill = ser.points[i].format.fill
                fill.solid()
                fill.fore_color.rgb = _rgb(colour)


def _axes(pc: Any, chart: Chart, style: ChartStyle, fmt: str) -> None:
    size = Pt(max(MIN_TEXT_PT, style.font_size_pt))
    cat, val = pc.category_axis, pc.value_axis
    horizontal = chart.options.get("orientation") == "horizontal" or (chart.type == "stacked" and len(chart.categories) == 1)
    if horizontal:
        cat.reverse_order = True  # first category at the top, as in the outline
        cat.crosses = XL_AXIS_CROSSES.MAXIMUM  # ...and the value axis stays at the bottom
    # Labels beside the plot, not on the zero line where negative bars would cover them.
    cat.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    for axis in (cat, val):
        axis.tick_labels.font.size = size
        axis.tick_labels.font.name = style.font_family
        axis.tick_labels.font.color.rgb = _rgb(style.text)
        axis.major_tick_mark = XL_TICK_MARK.NONE
        axis.minor_tick_mark = XL_TICK_MARK.NONE
    cat.format.line.color.rgb = _rgb(style.text)
    val.format.line.fill.background()
    val.has_major_gridlines = True
    val.major_gridlines.format.line.color.rgb = _rgb(style.grid)
    val.major_gridlines.format.line.width = _GRID
    val.tick_labels.number_format = fmt
    val.tick_labels.number_format_is_linked = False
    lo, hi = chart.options.get("y_min"), chart.options.get("y_max")
    if lo is not None:
        val.minimum_scale = lo
    if hi is not None:
        val.maximum_scale = hi
    if chart.type == "stacked" and len(chart.categories) == 1:
        cat.visible = False
        val.visible = False
        val.has_major_gridlines = False
    if chart.options.get("log"):
        scaling = val._element.find(qn("c:scaling"))
        log_base = etree.SubElement(scaling, qn("c:logBase"))
        log_base.set("val", "10")
        scaling.insert(0, log_base)  # CT_Scaling: logBase comes first
    for key, axis in (("y_title", val), ("x_title", cat)):
        title = chart.options.get(key) or ""
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            run_font = axis.axis_title.text_frame.paragraphs[0].runs[0].font
            run_font.size = size
            run_font.bold = False
            run_font.name = style.font_family


def _num_lit(values: list[float]) -> etree._Element:
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


def _error_bars(
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
    etree.SubElement(bars, qn("c:plus")).append(_num_lit(plus))
    etree.SubElement(bars, qn("c:minus")).append(_num_lit(minus))
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
