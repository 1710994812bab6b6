"""Compile layer: the closing slide kind — a last message and how to get in touch, on the section layout."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds import _subtitle
from lecturegen.compile.kinds.base import Kind, KindContext
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Paragraph, Slide
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class ClosingSpec:
    location: Location
    message: TextSpec | None = None
    contact: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.message, self.contact) if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    return ClosingSpec(fields.loc(), field_text(fields, "message"), field_text(fields, "contact"))


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, ClosingSpec)
    body: list[Paragraph] = []
    if spec.message:
        body.extend(ctx.text.paragraphs(spec.message, style="subtitle"))
    if spec.contact:
        body.append(Paragraph(ctx.text.runs(spec.contact), style="subtitle"))
    return replace(slide, subtitle=tuple(body))


KIND = Kind(name="closing", keys=frozenset({"message", "contact"}), parse=parse, build=build, role="section",
            place=None, minimum_minutes=0.5, lay=_subtitle.lay)
