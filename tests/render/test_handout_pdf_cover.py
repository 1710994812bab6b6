"""Tests for render/handout_pdf_cover.py: the designed cover."""

from __future__ import annotations

import io

from pypdf import PdfReader

from lecturegen.model.deck import Slide
from lecturegen.render.handout_pdf import render_pdf
from tests.handout_samples import sample_handout, sample_slides, white_png


def cover_text(slides: list[Slide] | None = None) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(sample_handout(slides), white_png)))
    return reader.pages[0].extract_text()


def test_the_cover_has_the_title_the_facts_the_question_and_the_contents() -> None:
    text = cover_text()
    for expected in ("Depth on paper", "A handout test", "PRESENTER", "Test Presenter, Test University", "EVENT",
                     "Test Day", "DATE", "2026", "VENUE", "Room 1", "SESSION", "1 h", "A QUESTION FOR YOU",
                     "When did you last feel truly met?", "IN THIS HANDOUT", "Key findings", "Beginnings",
                     "Practice"):
        assert expected in text, expected


def test_no_question_slide_no_question_panel() -> None:
    text = cover_text([s for s in sample_slides() if s.kind != "question"])
    assert "A QUESTION FOR YOU" not in text and "PRESENTER" in text
