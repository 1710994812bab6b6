"""Tests for compile/handout_blocks.py: what each slide becomes on paper."""

from __future__ import annotations

import dataclasses

from lecturegen.model.handout import DiagramFigure, Points, SlideHeading, Sources, Statement
from lecturegen.model.shapes import GroupShape
from tests.handout_samples import sample_handout, sample_slides


def test_a_diagram_is_the_slides_own_drawing_with_its_caption_and_source() -> None:
    handout = sample_handout()
    (section,) = [s for s in handout.sections if s.title == "Practice"]
    figures = [b for b in section.blocks if isinstance(b, DiagramFigure)]
    assert len(figures) == 1
    figure = figures[0]
    assert isinstance(figure.group, GroupShape) and "Safety" in figure.alt
    assert "".join(r.text for r in figure.caption) == "After Knox and Cooper (2010)."
    assert "".join(r.text for r in figure.source) == "Source: Knox and Cooper (2010)"
    assert figure.background == "FFFFFF"
    # The caption and source travel inside the figure, not as separate blocks after it.
    assert not any(isinstance(b, Sources) and "Knox" in str(b) for b in section.blocks)


def test_a_diagram_without_placed_shapes_is_described_in_words() -> None:
    slides = [dataclasses.replace(s, shapes=()) if s.kind == "diagram" else s for s in sample_slides()]
    (section,) = [s for s in sample_handout(slides).sections if s.title == "Practice"]
    assert not any(isinstance(b, DiagramFigure) for b in section.blocks)
    points = [b for b in section.blocks if isinstance(b, Points) and b.numbered]
    assert points and "Safety" in str(points[0])


def test_a_big_number_is_a_call_out_under_its_heading() -> None:
    (section,) = [s for s in sample_handout().sections if s.title == "Beginnings"]
    kinds = [type(b) for b in section.blocks]
    at = kinds.index(Statement)
    assert kinds[at - 1] is SlideHeading
    statement = section.blocks[at]
    assert isinstance(statement, Statement)
    assert "".join(r.text for r in statement.big) == "8 of 8"
    assert "".join(r.text for r in statement.context) == "therapists"
