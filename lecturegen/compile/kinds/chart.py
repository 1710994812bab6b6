"""Compile layer: the chart slide kind — a chart of a dataset (`chart:`, see docs/charts.md) and its caption,
in the free content area at that box's size."""

from __future__ import annotations

from yaml.nodes import Node

from lecturegen.compile.kinds._chart import bind, chart_texts
from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Slide
from lecturegen.records import record
from lecturegen.sources.charts import ChartSpec, parse_chart
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class ChartSlideSpec:
    """Its fields in the order the build record lists them (compile/roundtrip.py)."""

    location: Location
    caption: TextSpec | None = None
    chart: ChartSpec | None = None  # None when the outline's chart could not be read (reported there)

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.caption, *chart_texts(self.chart)) if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    chart_node = fields.require("chart")
    chart = parse_chart(chart_node, fields.ctx) if chart_node is not None else None
    return ChartSlideSpec(fields.loc(), field_text(fields, "caption"), chart)


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, ChartSlideSpec)
    return bind(spec.chart, spec.caption, spec.location, slide, ctx) if spec.chart is not None else slide


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return layouter.chart_slide(slide, can_split)


# A chart needs reading time however little is said about it.
KIND = Kind(name="chart", keys=frozenset({"chart", "caption"}), parse=parse, build=build, role="title-only",
            place=None, minimum_minutes=1.25, lay=lay)
