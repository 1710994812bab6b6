"""Compile layer: the statement slide kind — one big claim or number and its caption (a registered kind).

The first of the older kinds moved into the registry: its outline keys, its record, builder, layout role,
placement and timing are here and nowhere else.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import Node

from lecturegen.compile.icons import icon_above, icon_colour
from lecturegen.compile.kinds.base import Kind, KindContext, Placement
from lecturegen.compile.kinds._units import keep_units
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Paragraph, Run, Slide
from lecturegen.model.geometry import Box
from lecturegen.model.icons import Icon
from lecturegen.model.shapes import Shape
from lecturegen.records import record
from lecturegen.sources.icons import field_icon
from lecturegen.sources.outline import field_text
from lecturegen.sources.specs import KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields
from lecturegen.model.text import runs_text

Runs = tuple[Run, ...]


@record
class StatementSpec:
    location: Location
    statement: TextSpec
    caption: TextSpec | None = None
    icon: Icon | None = None  # read (and checked) as the outline is: the load layer's lookup

    def texts(self) -> tuple[TextSpec, ...]:
        return tuple(t for t in (self.statement, self.caption) if t is not None)


def parse(fields: Fields, node: Node) -> KindSpec | None:
    statement = field_text(fields, "statement", required=True)
    if statement is None:
        return None
    return StatementSpec(fields.loc(), statement, field_text(fields, "caption"), field_icon(fields))


@record
class Statement:
    """The claim (a number keeps its unit on its line) and the caption that explains it."""

    text: Runs
    caption: Runs = ()
    icon: Icon | None = None  # drawn above the claim

    def texts(self) -> tuple[Runs, ...]:
        return tuple(r for r in (self.text, self.caption) if r)

    def describe(self) -> str:
        return " ".join(runs_text(runs) for runs in self.texts())

    def paragraphs(self) -> tuple[Paragraph, ...]:
        body = [Paragraph(self.text, style="big")]
        if self.caption:
            body.append(Paragraph(self.caption, style="caption"))
        return tuple(body)


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, StatementSpec)
    caption = ctx.text.runs(spec.caption) if spec.caption is not None else ()
    return replace(slide, content=Statement(keep_units(ctx.text.runs(spec.statement)), caption, spec.icon))


def place(slide: Slide, area: Box, lent: Placement) -> list[Shape]:
    """In the middle of the layout's body placeholder, optically centred, shrunk (never split) to fit; its icon,
    if any, above it (the two centred together)."""
    statement = slide.content
    assert isinstance(statement, Statement)
    shapes = lent.centred_body(slide, statement.paragraphs(), "statement")
    if statement.icon is None:
        return shapes
    shapes, placed = icon_above(shapes, area, statement.icon, icon_colour(lent.style))
    if not placed:
        lent.diags.warning(f"no room for the icon '{statement.icon.name}' above the statement", "icon.room",
                           slide.location, hint="shorten the statement, or leave the icon out")
    return shapes


KIND = Kind(name="statement", keys=frozenset({"statement", "caption", "icon"}), parse=parse, build=build, role="content",
            place=place, minimum_minutes=0.75)
