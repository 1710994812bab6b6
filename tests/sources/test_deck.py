"""sources/deck.py: a deck read back — ids, text with levels, tables, notes without the cue, hidden, timings."""

from __future__ import annotations

import pytest

from lecturegen.sources.deck import DeckError, read_deck


def test_a_file_that_is_not_a_deck_is_a_deck_error() -> None:
    with pytest.raises(DeckError, match="not a PowerPoint"):
        read_deck(b"hello")


def test_a_python_pptx_deck_reads_without_ids(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pptx import Presentation

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Hello"
    body = slide.placeholders[1].text_frame
    body.text = "top"
    p = body.add_paragraph()
    p.text, p.level = "under", 1
    slide.notes_slide.notes_text_frame.text = "\u23f1 0:00 → slide 1\nsay hello"
    slide.element.set("show", "0")
    path = tmp_path / "d.pptx"
    prs.save(str(path))
    deck = read_deck(path.read_bytes())
    (only,) = deck.slides
    assert only.uid == "" and only.hidden and only.title() == "Hello"
    assert only.notes == ("say hello",)
    body_shape = next(s for s in only.shapes if s.placeholder == "body")
    assert body_shape.paragraphs == ((0, "top"), (1, "under"))
