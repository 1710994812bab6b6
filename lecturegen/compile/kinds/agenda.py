"""Compile layer: the agenda slide kind — the talk's parts and their times (filled by `compile/schedule.py`),
as a list in the body placeholder, or two columns when long."""

from __future__ import annotations

from lecturegen.compile.kinds import _generated
from lecturegen.compile.kinds.columns import lay_columns
from lecturegen.compile.kinds.base import Kind, SlideLayouter, TextRules
from lecturegen.model.deck import Slide


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    if slide.columns:  # a long agenda, shared over two columns by the plan
        return lay_columns(slide, layouter, headed=False, centred=False)
    return layouter.text_slide(slide, can_split, TextRules(authored=False))  # generated: it degrades, never fails


KIND = Kind(name="agenda", keys=frozenset(), parse=_generated.parse, build=_generated.build, role="content",
            place=None, minimum_minutes=0.75, lay=lay)
