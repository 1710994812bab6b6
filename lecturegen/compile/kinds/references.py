"""Compile layer: the references slide kind — the works cited (filled by `compile/references.py`, which splits
the list by measured height), in the body placeholder from its top, with a QR code to the full list if asked."""

from __future__ import annotations

from lecturegen.compile.kinds import _generated
from lecturegen.compile.kinds.base import Kind, SlideLayouter, TextRules
from lecturegen.model.deck import Slide


def lay(slide: Slide, can_split: bool, layouter: SlideLayouter) -> list[Slide]:
    return layouter.text_slide(slide, can_split, TextRules(balanced=False, authored=False))


KIND = Kind(name="references", keys=frozenset(), parse=_generated.parse, build=_generated.build, role="content",
            place=None, minimum_minutes=0.1, lay=lay)
