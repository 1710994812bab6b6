"""Compile layer: the big-number slide kind — one number, its unit and context, large in the middle of the slide.

`number_body` is shared with the finding kind, whose evidence may be a number too.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.compile.kinds._units import keep_units
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields
from lecturegen.model.text import runs_text

KEYS = frozenset({"number", "unit", "context", "caption"})


@record
class BigNumberSpec:
    location: Location
    caption: TextSpec | None  # the fields in the order the build record lists them (compile/roundtrip.py)
    number: TextSpec
    unit: TextSpec | None = None
    context: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.caption, self.number, self.unit, self.context) if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    caption = field_text(fields, "caption")
    number = field_text(fields, "number", required=True)
    unit, context = field_text(fields, "unit"), field_text(fields, "context")
    return BigNumberSpec(fields.loc(), caption, number, unit, context) if number is not None else None


def number_body(number: TextSpec | None, unit: TextSpec | None, context: TextSpec | None,
                caption: TextSpec | None, ctx: KindContext) -> tuple[Paragraph, ...]:
    """The number with its unit (never broken from it), then its context and caption."""
    runs = keep_units(ctx.text.runs(number))
    if unit:
        unit_runs = keep_units(ctx.text.runs(unit))
        glue = "" if runs_text(unit_runs).startswith(("%", "‰")) else "\u00a0"
        runs = runs + ((Run(glue),) if glue else ()) + unit_runs
    body = [Paragraph(runs, style="big")]
    if context:
        body.append(Paragraph(keep_units(ctx.text.runs(context)), style="context"))
    if caption:
        body.append(Paragraph(ctx.text.runs(caption), style="caption"))
    return tuple(body)


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, BigNumberSpec)
    return replace(slide, body=number_body(spec.number, spec.unit, spec.context, spec.caption, ctx))


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """In the middle of the body placeholder, shrunk (never split) to fit."""
    return layouter.centred_slide(slide, "text")


KIND = Kind(name="big-number", keys=KEYS, parse=parse, build=build, role="content", place=None,
            minimum_minutes=0.5, lay=lay)
