"""Compile layer: the quote slide kind — someone's words, with who said them, in the middle of the slide."""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.records import record
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


@record
class QuoteSpec:
    location: Location
    quote: TextSpec
    attribution: TextSpec | None = None

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.quote, self.attribution) if t is not None)

    def cites_in_attribution(self) -> bool:
        """`attribution: "@key"`: the citation names the source, so no source line repeats it."""
        return self.attribution is not None and "@" in self.attribution.text


def parse(fields: Fields, node: Node) -> KindSpec | None:
    quote = field_text(fields, "quote", required=True)
    attribution = field_text(fields, "attribution")
    return QuoteSpec(fields.loc(), quote, attribution) if quote is not None else None


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, QuoteSpec)
    body = [Paragraph(ctx.text.runs(spec.quote), style="quote")]
    if spec.attribution:
        body.append(Paragraph((Run("— "),) + ctx.text.runs(spec.attribution), style="attribution"))
    return replace(slide, body=tuple(body))


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    """In the middle of the body placeholder, shrunk (never split) to fit."""
    return layouter.centred_slide(slide, "quote")


KIND = Kind(name="quote", keys=frozenset({"quote", "attribution"}), parse=parse, build=build, role="content",
            place=None, minimum_minutes=0.75, lay=lay)
