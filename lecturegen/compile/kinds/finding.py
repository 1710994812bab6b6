"""Compile layer: the finding slide kind — an assertion as the title and one piece of evidence: a chart, or a
number with its unit and context (then set as a big number, on the content layout)."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds._chart import bind, chart_texts
from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.compile.kinds.big_number import number_body
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Slide
from lecturegen.records import record
from lecturegen.sources.charts import ChartSpec, parse_chart
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class FindingSpec:
    """Its fields in the order the build record lists them (compile/roundtrip.py)."""

    location: Location
    caption: TextSpec | None = None
    chart: ChartSpec | None = None
    number: TextSpec | None = None
    unit: TextSpec | None = None
    context: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        words = (self.caption, *chart_texts(self.chart), self.number, self.unit, self.context)
        return tuple(t for t in words if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    charted = fields.has("chart")
    chart_node = fields.require("chart") if charted else None
    chart = parse_chart(chart_node, fields.ctx) if chart_node is not None else None
    caption = field_text(fields, "caption")
    number = field_text(fields, "number", required=not charted)
    spec = FindingSpec(fields.loc(), caption, chart, number, field_text(fields, "unit"), field_text(fields, "context"))
    if charted and fields.has("number"):
        fields.ctx.error(fields.get_node("number") or node, "a finding shows one piece of evidence: a 'chart' or a "
                         "'number', not both", "outline.finding")
    return spec


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, FindingSpec)
    if spec.chart is not None:
        return bind(spec.chart, spec.caption, spec.location, slide, ctx)
    return replace(slide, layout="content", body=number_body(spec.number, spec.unit, spec.context, spec.caption, ctx))


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    if slide.chart is not None:
        return layouter.chart_slide(slide, can_split)
    return layouter.centred_slide(slide, "text")


KIND = Kind(name="finding", keys=frozenset({"chart", "number", "unit", "context", "caption"}), parse=parse,
            build=build, role="title-only", place=None, minimum_minutes=0.5, lay=lay)
