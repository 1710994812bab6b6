"""Compile layer: the builder of the one slide kind not yet in a module of its own — chart.

It waits for the chart work (`compile/charts.py`, `sources/charts.py`): it still keeps its keys in
`sources/outline.py::KIND_KEYS`, its layout role here, its placer in `compile/layout.py::PLACERS`, its timing
in `compile/timing.py`, and its spec in `SlideSpec.chart`. Moving it is as for `finding.py`, which shows a
chart too: a `ChartSpec` in its own spec (`sources/specs.py::ShowsChart` lets `sources/inputs.py` read its
data), `_chart.bind` to build, `SlideLayouter.chart_slide` to place. A new kind does not go here: it is one
module in this package (see `registry.py`).
"""

from __future__ import annotations

from typing import Callable

from lecturegen.compile.kinds._chart import bind
from lecturegen.compile.kinds.base import KindContext
from lecturegen.model.deck import Slide
from lecturegen.sources.specs import SlideSpec

# Which layout role (model/template.py::LAYOUT_ROLES) each slide kind is placed on: one table, as pandoc does.
KIND_LAYOUT: dict[str, str] = {
    "chart": "title-only",
}


Builder = Callable[[SlideSpec, Slide, KindContext], Slide]


def _chart(spec: SlideSpec, slide: Slide, ctx: KindContext) -> Slide:
    return bind(spec.chart, spec.caption, spec.location, slide, ctx) if spec.chart is not None else slide


BUILDERS: dict[str, Builder] = {
    "chart": _chart,
}


def build_legacy(spec: SlideSpec, base: Slide, ctx: KindContext) -> Slide:
    builder = BUILDERS.get(spec.kind)
    if builder is None:
        raise NotImplementedError(f"no builder for slide kind {spec.kind!r}")
    return builder(spec, base, ctx)


