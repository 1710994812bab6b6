"""Tests for render/handout_pdf_summary.py: the one-page summary."""

from __future__ import annotations

import io

from pypdf import PdfReader

from lecturegen.render.handout_pdf import render_pdf
from tests.handout_samples import sample_handout, white_png


def test_the_summary_is_one_page_of_take_home_messages_findings_and_their_citations() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_handout(), white_png)))
    summary = reader.pages[1].extract_text()
    for expected in ("SUMMARY", "Key findings", "Take-home messages", "Depth is shared",
                     "Sources: Cooper (2005); Di Malta et al. (2019)", "FINDING 1",
                     "Every therapist had met a client at depth", "8 of 8 therapists", "Source: Cooper (2005)",
                     "FINDING 2", "The scale is reliable", "Learning outcomes", "Name what depth is"):
        assert expected in summary, expected
    # The next page starts the programme: the summary did not spill over.
    assert "FINDING" not in reader.pages[2].extract_text()
