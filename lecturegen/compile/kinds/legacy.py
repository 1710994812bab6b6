"""Compile layer: the builders of the two slide kinds not yet in a module of their own — chart and finding.

Both wait for the chart work (`compile/charts.py`, `sources/charts.py`): they still keep their keys in
`sources/outline.py::KIND_KEYS`, their layout role here, their placer in `compile/layout.py::PLACERS`, their
timing in `compile/timing.py`, and their spec in `SlideSpec.chart` (read by `sources/inputs.py` for the data).
A new kind does not go here: it is one module in this package (see `registry.py`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from lecturegen.compile.charts import bind_chart
from lecturegen.compile.kinds.base import KindContext
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Run, Slide
from lecturegen.sources.specs import SlideSpec

# Which layout role (model/template.py::LAYOUT_ROLES) each slide kind is placed on: one table, as pandoc does.
KIND_LAYOUT: dict[str, str] = {
    "chart": "title-only",
    "finding": "title-only",
}


Builder = Callable[[SlideSpec, Slide, KindContext], Slide]


def _chart(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    if spec.chart is None:
        return slide
    text = ctx.text

    def cite_source(keys: list[str], at: Location | None) -> tuple[Run, ...]:
        return text.source_line(keys, at or spec.location, label="Sources")

    chart = bind_chart(spec.chart, ctx.datasets, ctx.diags, cite_source, text.bibliography_years)
    caption = text.runs(spec.caption) if spec.caption else ()
    return replace(slide, chart=chart, caption=caption, sources=chart.source if chart is not None else ())


def _finding(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    """An assertion as the title and one piece of evidence: a chart, or a number with its context."""
    if spec.chart is not None:
        return _chart(spec, slide, ctx)
    from lecturegen.compile.kinds.big_number import number_body  # a registered kind that imports this module

    return replace(slide, layout="content", body=number_body(spec.number, spec.unit, spec.context, spec.caption, ctx))


BUILDERS: dict[str, Builder] = {
    "chart": _chart,
    "finding": _finding,
}


def build_legacy(spec: SlideSpec, base: Slide, ctx: KindContext) -> Slide:
    builder = BUILDERS.get(spec.kind)
    if builder is None:
        raise NotImplementedError(f"no builder for slide kind {spec.kind!r}")
    return builder(spec, base, ctx)


