"""Compile layer: the break slide kind (`kind: break`; `break` cannot name a module) — a pause of the minutes it
says, or the end of a day (`new_day: true`: the clock restarts at the talk's `day_start`)."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds import _subtitle
from lecturegen.compile.kinds.base import Kind, KindContext
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Slide
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class BreakSpec:
    location: Location
    subtitle: TextSpec | None = None
    new_day: bool = False

    def texts(self) -> tuple[TextSpec, ...]:
        return (self.subtitle,) if self.subtitle is not None else ()


def parse(fields: Fields, node: Node) -> KindSpec | None:
    subtitle = field_text(fields, "subtitle")
    if not fields.has("minutes"):
        fields.require("minutes")  # a break says how long it is: the plan cannot guess
    return BreakSpec(fields.loc(), subtitle, fields.bool("new_day"))


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, BreakSpec)
    return replace(_subtitle.subtitle_of(spec.subtitle, slide, ctx), new_day=spec.new_day)


KIND = Kind(name="break", keys=frozenset({"subtitle", "new_day"}), parse=parse, build=build, role="section",
            place=None, minimum_minutes=0.0, lay=_subtitle.lay)
