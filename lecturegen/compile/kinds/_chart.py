"""Compile layer: what the chart and finding kinds share — a chart spec's words (for the spelling check), and
a chart bound to its data with its caption and source line."""

from __future__ import annotations

from dataclasses import replace

from lecturegen.compile.charts import bind_chart
from lecturegen.compile.kinds.base import KindContext
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Run, Slide
from lecturegen.sources.charts import ChartSpec
from lecturegen.sources.specs import TextSpec


def chart_texts(chart: ChartSpec | None) -> tuple[TextSpec, ...]:
    """The words a chart spec declares (axis titles, note, reference lines' labels), where they were written."""
    if chart is None:
        return ()
    out: list[TextSpec] = []
    for key in ("x_title", "y_title", "note"):
        value = getattr(chart, key, None)
        if isinstance(value, str) and value.strip():
            out.append(TextSpec(value, chart.at(key)))
    for line in getattr(chart, "reference", ()):
        if line.label.strip():
            out.append(TextSpec(line.label, chart.at("reference")))
    return tuple(out)


def bind(chart_spec: ChartSpec, caption: TextSpec | None, at: Location, slide: Slide, ctx: KindContext) -> Slide:
    """The slide with its chart bound to its dataset, its caption, and the chart's sources as its source line."""
    text = ctx.text

    def cite_source(keys: list[str], where: Location | None) -> tuple[Run, ...]:
        return text.source_line(keys, where or at, label="Sources")

    chart = bind_chart(chart_spec, ctx.datasets, ctx.diags, cite_source, text.bibliography_years)
    runs = text.runs(caption) if caption else ()
    return replace(slide, chart=chart, caption=runs, sources=chart.source if chart is not None else ())
