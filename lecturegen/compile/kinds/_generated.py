"""Compile layer: what the agenda and references kinds share — slides lecturegen fills itself (from the plan,
from what the talk cites), so an outline slide of either kind takes no keys of its own."""

from __future__ import annotations

from yaml.nodes import Node

from lecturegen.compile.kinds.base import KindContext
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Slide
from lecturegen.records import record
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class GeneratedSpec:
    """Where the outline asks for the slide; its content is made later."""

    location: Location

    def texts(self) -> tuple[TextSpec, ...]:
        return ()


def parse(fields: Fields, node: Node) -> KindSpec | None:
    return GeneratedSpec(fields.loc())


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    return slide
