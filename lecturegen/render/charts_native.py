"""Render layer: a bound Chart → an editable PowerPoint chart (python-pptx, plus XML it has no API for).

Just over 400 lines: each native kind's colours, labels and axes are set through python-pptx here, where
they can be read side by side with the pictures'; the raw XML lives in native_xml.py.
"""

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
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
    XL_TICK_MARK,
)
from pptx.oxml.ns import qn
from pptx.util import Pt

from lecturegen.model.chart import Chart
from lecturegen.model.chart_text import LENGTH_KINDS, NOT_REPORTED, format_value
from lecturegen.render.chart_style import MIN_TEXT_PT, ChartStyle, chart_colours, text_on, tick_format
from lecturegen.render.native_xml import error_bars, positive_axis_ids, reference_line_series

NATIVE_TYPES = frozenset({"bar", "grouped-bar", "line", "slope", "stacked", "pie"})
# As the picture charts draw them: 1 pt gridlines, bars 72 % of their slot (a gap of 39 % of a bar).
_GRID = 12700
_GAP_WIDTH = 39


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
    horizontal = chart.horizontal
    if chart.type in ("bar", "grouped-bar"):
        return XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    if chart.type == "stacked":
        # A single stacked bar (part of a whole) reads left to right.
        if horizontal or len(chart.categories) == 1:
            return XL_CHART_TYPE.BAR_STACKED
        return XL_CHART_TYPE.COLUMN_STACKED
    if chart.type in ("line", "slope"):  # a slope chart is a line chart of few categories, named at its ends
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
    fmt = excel_number_format(chart.base.format)
    data = CategoryChartData(number_format=fmt)
    data.categories = _category_names(chart)
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
    _note(pc, chart, style)
    _legend_and_plot(pc, chart, style)
    _colour_series(pc, chart, style)
    if chart.base.value_labels:
        _value_labels(pc, chart, style, fmt)
    _text_labels(pc, chart, style)
    if chart.type != "pie":
        _axes(pc, chart, style, fmt)
    for ser, s in zip(pc.plots[0]._element.iter(qn("c:ser")), chart.series):
        if s.errors_low is not None and s.errors_high is not None:
            error_bars(ser, s.values, s.errors_low, s.errors_high, chart.type in ("line", "slope"), style)
    reference_line_series(chart_space, chart, style)
    positive_axis_ids(chart_space)
    xml = etree.tostring(chart_space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml, _workbook(data, timestamp)


def _legend_and_plot(pc: Any, chart: Chart, style: ChartStyle) -> None:
    """The legend (several series, or a pie's slices) and the bars' widths and overlap, as the pictures have them."""
    size = Pt(max(MIN_TEXT_PT, style.font_size_pt))
    multi = len(chart.series) > 1
    pc.has_legend = (multi and chart.type != "slope") or chart.type == "pie"  # a slope names its lines itself
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
        plot.gap_width = _GAP_WIDTH
        # Long data coloured by group has one value per category: bars share one slot.
        one_per_cat = multi and all(sum(not math.isnan(s.values[i]) for s in chart.series) <= 1 for i in range(len(chart.categories)))
        plot.overlap = 100 if chart.type == "stacked" or one_per_cat else (-5 if multi else 0)


def _value_labels(pc: Any, chart: Chart, style: ChartStyle, fmt: str) -> None:
    """Every value written on the chart in its number format: outside a bar's end, above a point, in the
    middle of a stacked segment (white or dark, whichever reads on it)."""
    plot = pc.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.font.size = Pt(max(MIN_TEXT_PT, style.font_size_pt * 0.95))
    labels.font.name = style.font_family
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.show_value = True
    if chart.type == "stacked":
        labels.position = XL_LABEL_POSITION.CENTER
        labels.font.bold = True
        _, legend = chart_colours(chart, style)
        for ser, fill in zip(plot.series, legend):  # white or dark on each segment, as in the pictures
            ser.data_labels.font.color.rgb = _rgb(text_on(fill, style))
            ser.data_labels.font.bold = True
            ser.data_labels.font.size = labels.font.size
            ser.data_labels.number_format = fmt
            ser.data_labels.number_format_is_linked = False
            ser.data_labels.position = XL_LABEL_POSITION.CENTER
    elif chart.type in ("bar", "grouped-bar"):
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    elif chart.type == "line":
        labels.position = XL_LABEL_POSITION.ABOVE
    elif chart.type == "slope":
        _slope_labels(plot, chart, style)


def _slope_labels(plot: Any, chart: Chart, style: ChartStyle) -> None:
    """A slope chart's ends, as the pictures write them: the line's name and first value left of its start,
    the last value right of its end, in the text colour (bold on the highlighted line)."""
    last = len(chart.categories) - 1
    for ser, s in zip(plot.series, chart.series):
        bold = s.name in chart.base.highlight
        for i, value in enumerate(s.values):
            if math.isnan(value):
                continue
            label = ser.points[i].data_label
            if i == 0 and len(chart.series) > 1:
                label.text_frame.text = f"{s.name}\u2002{format_value(value, chart.base.format)}"
                font = label.text_frame.paragraphs[0].runs[0].font
                font.size = Pt(max(MIN_TEXT_PT, style.font_size_pt * 0.9))
                font.name = style.font_family
                font.color.rgb = _rgb(style.text)
                font.bold = bold
            else:
                label.font.bold = bold
                label.font.color.rgb = _rgb(style.text)
            label.position = XL_LABEL_POSITION.LEFT if i == 0 else (
                XL_LABEL_POSITION.RIGHT if i == last else XL_LABEL_POSITION.ABOVE)


def _text_labels(pc: Any, chart: Chart, style: ChartStyle) -> None:
    """A value with its text ("−.060 p = .010", an interval, a p-value) as the pictures write it: a label of
    its own text on that point, for a chart of one series (the number stays in the chart's format)."""
    if not chart.labels or len(chart.series) != 1 or not chart.base.value_labels or chart.type == "pie":
        return
    series = pc.plots[0].series[0]
    for i, (value, text) in enumerate(zip(chart.series[0].values, chart.labels)):
        if not text or math.isnan(value):
            continue
        label = series.points[i].data_label
        frame = label.text_frame
        frame.text = f"{format_value(value, chart.base.format)}\u2002{text}"
        font = frame.paragraphs[0].runs[0].font
        font.size = Pt(max(MIN_TEXT_PT, style.font_size_pt * 0.95))
        font.name = style.font_family
        font.color.rgb = _rgb(style.text)
        font.bold = chart.categories[i] in chart.base.highlight
        if chart.type in ("bar", "grouped-bar"):
            label.position = XL_LABEL_POSITION.OUTSIDE_END


def _category_names(chart: Chart) -> list[str]:
    """Category names; one without any value says so, as a picture chart writes 'not reported' on its
    baseline (a native chart shows no label for an empty point)."""
    names = []
    for i, name in enumerate(chart.categories):
        empty = chart.type != "pie" and all(math.isnan(s.values[i]) for s in chart.series)
        names.append(f"{name} ({NOT_REPORTED})" if empty and not _single_stack(chart) else name)
    return names


def _single_stack(chart: Chart) -> bool:
    return chart.type == "stacked" and len(chart.categories) == 1


def _note(pc: Any, chart: Chart, style: ChartStyle) -> None:
    """The axis note ("Axis starts at .80, not zero") and the chart's note, in small italics, as the picture
    charts write them under the plot."""
    parts = [chart.axis.axis_note, chart.base.note]
    text = ". ".join(p.rstrip(".") for p in parts if p)
    if not text:
        return
    pc.has_title = True
    frame = pc.chart_title.text_frame
    frame.text = text + "."
    font = frame.paragraphs[0].runs[0].font
    font.size = Pt(max(MIN_TEXT_PT, style.small_pt))
    font.italic = True
    font.bold = False
    font.name = style.font_family
    font.color.rgb = _rgb(style.text)
    # Above the plot, where PowerPoint lays out a chart title by itself (the pictures write it underneath).
    title = pc.chart_title._element
    overlay = title.find(qn("c:overlay"))
    if overlay is None:
        overlay = etree.SubElement(title, qn("c:overlay"))
    overlay.set("val", "0")


def _workbook(data: CategoryChartData, timestamp: int) -> bytes:
    """The chart's data as a workbook in which every cell is data: text starting with = + - @ stays text."""
    from datetime import datetime, timezone

    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class _DataOnly(CategoryWorkbookWriter):
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


def _colour_series(pc: Any, chart: Chart, style: ChartStyle) -> None:
    """The colours the picture chart has: the same palette, highlight, graded muted shades."""
    per_point, legend = chart_colours(chart, style)
    plot = pc.plots[0]
    if chart.type == "pie":
        series = plot.series[0]
        for i, colour in enumerate(per_point[0]):
            fill = series.points[i].format.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(colour)
            series.points[i].format.line.color.rgb = _rgb(style.background)
        return
    for j, (ser, base) in enumerate(zip(plot.series, legend)):
        if chart.type in ("line", "slope"):
            ser.format.line.color.rgb = _rgb(base)
            ser.format.line.width = Pt(4 if chart.type == "slope" and chart.series[j].name in chart.base.highlight else 3)
            if chart.type == "slope":  # round ends, as the pictures draw them
                ser.marker.style = XL_MARKER_STYLE.CIRCLE
                ser.marker.size = 9
            ser.smooth = False
            ser.marker.format.fill.solid()
            ser.marker.format.fill.fore_color.rgb = _rgb(base)
            ser.marker.format.line.color.rgb = _rgb(base)
            for i, colour in enumerate(per_point[j]):
                if colour != base:  # a highlighted category: its dot in the accent colour
                    marker = ser.points[i].marker
                    marker.format.fill.solid()
                    marker.format.fill.fore_color.rgb = _rgb(colour)
                    marker.format.line.color.rgb = _rgb(colour)
            continue
        ser.invert_if_negative = False
        ser.format.fill.solid()
        ser.format.fill.fore_color.rgb = _rgb(base)
        if chart.type == "stacked":
            ser.format.line.color.rgb = _rgb(style.background)
        for i, colour in enumerate(per_point[j]):
            if colour != base:
                fill = ser.points[i].format.fill
                fill.solid()
                fill.fore_color.rgb = _rgb(colour)


def _axes(pc: Any, chart: Chart, style: ChartStyle, fmt: str) -> None:
    size = Pt(max(MIN_TEXT_PT, style.font_size_pt))
    cat, val = pc.category_axis, pc.value_axis
    horizontal = chart.horizontal or (chart.type == "stacked" and len(chart.categories) == 1)
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
    lo, hi = chart.axis.y_min, chart.axis.y_max
    values = [v for s in chart.series for v in s.values if not math.isnan(v)]
    if chart.type in LENGTH_KINDS and not chart.axis.log and values:
        # PowerPoint starts a column chart's axis above zero when the values lie close together: bars stand
        # on zero unless the spec cut the axis on purpose (and then the chart's note says so).
        if lo is None and min(values) >= 0:
            lo = 0.0
        if hi is None and max(values) <= 0:
            hi = 0.0
    if lo is not None:
        val.minimum_scale = lo
    if hi is not None:
        val.maximum_scale = hi
    if not chart.axis.log and values:
        # Tick labels with the decimals their step needs, as the pictures have them: the step is known when
        # both limits are, else it is about what PowerPoint will choose for the data's range.
        if lo is not None and hi is not None and hi > lo:
            val.major_unit = step = nice_step(hi - lo)
        else:
            span = max(values + [hi or 0.0]) - min(values + [lo or 0.0])
            step = nice_step(span) if span > 0 else 0.0
        val.tick_labels.number_format = excel_number_format(tick_format(chart.base.format, step))
    if chart.type == "stacked" and len(chart.categories) == 1:
        cat.visible = False
        val.visible = False
        val.has_major_gridlines = False
    if chart.type == "slope":  # the ends carry the values; a value axis would repeat them
        val.visible = False
        val.has_major_gridlines = False
    if chart.axis.log:
        scaling = val._element.find(qn("c:scaling"))
        log_base = etree.SubElement(scaling, qn("c:logBase"))
        log_base.set("val", "10")
        scaling.insert(0, log_base)  # CT_Scaling: logBase comes first
    _axis_titles(cat, val, chart, style)


def _axis_titles(cat: Any, val: Any, chart: Chart, style: ChartStyle) -> None:
    size = Pt(max(MIN_TEXT_PT, style.font_size_pt))
    for key, axis in (("y_title", val), ("x_title", cat)):
        title = chart.axis.x_title if key == "x_title" else chart.axis.y_title
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            run_font = axis.axis_title.text_frame.paragraphs[0].runs[0].font
            run_font.size = size
            run_font.bold = False
            run_font.name = style.font_family


def nice_step(span: float, intervals: int = 6) -> float:
    """The tick step the picture charts use: 1, 2 or 5 times a power of ten, at most `intervals` of them."""
    raw = span / intervals
    scale = 10 ** math.floor(math.log10(raw))
    return next(step * scale for step in (1, 2, 5, 10) if step * scale >= raw * (1 - 1e-9))


