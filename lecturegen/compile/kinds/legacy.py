"""Compile layer: the builders of the slide kinds that predate the registry (`kinds/registry.py`).

These kinds still keep their keys in `sources/outline.py::KIND_KEYS`, their layout role here, their placer in
`compile/layout.py::PLACERS` and their timing in `compile/timing.py`. A new kind does not go here: it is one
module in this package, registered in `registry.py`. Moving these over is welcome, one kind at a time.
"""

from __future__ import annotations

import re
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
# The kinds above whose lists the talk's `reveal:` default applies to.
LEGACY_REVEALS: frozenset[str] = frozenset()
# Keeps a number and its unit on one line: "168 therapists", "5 of 7", "72.7 %".
_OF = re.compile(r"(\d)\s+of\s+(\d)")
_PERCENT = re.compile(r"(\d)\s+%")
_NUMBER_UNIT = re.compile(r"(?<![\w.])([−-]?\d[\d,.]*%?)\s+(?=(?:of\s+\d|[^\W\d_]))")


Builder = Callable[[SlideSpec, Slide, KindContext], Slide]


def keep_units(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Big text never breaks between a number and its unit: the space becomes a no-break space."""
    def glue(text: str) -> str:
        text = _OF.sub("\\1\u00a0of\u00a0\\2", text)
        text = _PERCENT.sub("\\1\u00a0%", text)
        return _NUMBER_UNIT.sub("\\1\u00a0", text)

    return tuple(replace(r, text=glue(r.text)) if not r.cited else r for r in runs)


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


