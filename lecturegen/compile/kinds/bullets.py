"""Compile layer: the bullets slide kind — a list of points (two levels) and a caption, in the body placeholder.

A list too long for one slide continues on "(cont.)" slides, point by point; a short one is set larger and
stands optically centred in its area.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from yaml.nodes import Node

from lecturegen.compile.kinds.base import Kind, KindContext, SlideLayouter, TextRules
from lecturegen.diagnostics import Location
from lecturegen.model.deck import Slide
from lecturegen.model.icons import Icon
from lecturegen.records import record
from lecturegen.sources.icons import field_icon
from lecturegen.sources.outline import field_text, parse_bullets
from lecturegen.sources.specs import BulletSpec, KindSpec, TextSpec
from lecturegen.sources.yamlload import Fields


def walk(bullets: tuple[BulletSpec, ...]) -> Iterator[TextSpec]:
    """Every bullet's text, sub-bullets after their bullet (reading order)."""
    for bullet in bullets:
        yield bullet.text
        yield from walk(bullet.children)


@record
class BulletsSpec:
    location: Location
    bullets: tuple[BulletSpec, ...]
    caption: TextSpec | None = None
    icon: Icon | None = None  # one icon beside the list: a text-and-visual split

    def texts(self) -> tuple[TextSpec, ...]:
        return ((self.caption,) if self.caption is not None else ()) + tuple(walk(self.bullets))


def parse(fields: Fields, node: Node) -> KindSpec | None:
    bullets = parse_bullets(fields.require("bullets"), fields.ctx, "bullets")
    return BulletsSpec(fields.loc(), bullets, field_text(fields, "caption"), field_icon(fields))


def build(spec: KindSpec, slide: Slide, ctx: KindContext) -> Slide:
    assert isinstance(spec, BulletsSpec)
    return replace(slide, body=ctx.text.bullets(spec.bullets), caption=ctx.text.runs(spec.caption), icon=spec.icon)


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return layouter.text_slide(slide, can_split, TextRules(continues=True))


KIND = Kind(name="bullets", keys=frozenset({"bullets", "caption", "icon"}), parse=parse, build=build, role="content",
            place=None, minimum_minutes=1.0, lay=lay, reveal=True)
