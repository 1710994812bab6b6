"""Tests for render/handout_pdf_flowables.py: the PDF handout's own flowables."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from lecturegen.render.handout_pdf_flowables import DrawingSpace, Rules, Sheet, flowable_height, keep_together


def test_rules_take_their_lines_and_a_label() -> None:
    label = ParagraphStyle("l", fontSize=8.5, leading=11)
    assert Rules(3, colors.black, 20.0).wrap(400, 800) == (400, 62.0)
    assert Rules(3, colors.black, 20.0, "Your notes", label).wrap(400, 800)[1] == 62.0 + 13.0


def test_a_drawing_space_shrinks_to_fit_but_not_below_its_least() -> None:
    space = DrawingSpace(200.0, 120.0, colors.black)
    (smaller,) = space.split(400, 150)
    assert isinstance(smaller, DrawingSpace) and smaller.wrap(400, 150)[1] < 150
    assert space.split(400, 100) == []


def test_a_sheet_and_kept_pieces_measure_as_their_parts() -> None:
    style = ParagraphStyle("p", fontSize=10, leading=14)
    pieces = [Paragraph("one", style), Paragraph("two", style)]
    assert flowable_height(keep_together(list(pieces)), 400) >= 28
    sheet = Sheet(list(pieces), 700.0)
    assert sheet.wrap(400, 700)[1] >= 28
