"""Tests for render/handout_pdf_blocks.py: each block as flowables, through a rendered PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from lecturegen.render.handout_pdf import render_pdf
from tests.handout_samples import sample_handout, white_png


def pages_text() -> list[str]:
    reader = PdfReader(io.BytesIO(render_pdf(sample_handout(), white_png)))
    return [page.extract_text() for page in reader.pages]


def test_a_diagram_prints_as_drawn_text_with_its_caption_on_the_same_page() -> None:
    pages = pages_text()
    (page,) = [p for p in pages if "Readiness comes before depth" in p and "Safety" in p]
    assert "both people" in page and "willing" in page and "Depth" in page  # the detail wraps in its box
    assert "After Knox and Cooper (2010)." in page and "Source: Knox and Cooper (2010)" in page
    # Drawn, not described: no "A process in 2 steps" lead line.
    assert "A process in" not in "".join(pages)


def test_the_diagram_page_holds_no_picture() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_handout(), white_png)))
    (page,) = [p for p in reader.pages if "Safety" in p.extract_text()]
    assert not page.images


def test_a_big_number_is_a_call_out_with_its_context() -> None:
    page = next(p for p in pages_text() if "Every therapist had met a client at depth" in p and "therapists" in p
                and "Beginnings" in p)
    assert "8 of 8" in page
