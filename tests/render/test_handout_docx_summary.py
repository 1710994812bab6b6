"""Tests for render/handout_docx_summary.py: the DOCX summary page."""

from __future__ import annotations

import io

from docx import Document

from lecturegen.render.handout_docx import render_docx
from tests.handout_samples import sample_handout, white_png


def test_findings_are_cards_with_their_citations_after_the_take_home_panel() -> None:
    doc = Document(io.BytesIO(render_docx(sample_handout(), white_png)))
    cells = [[p.text for p in c.paragraphs] for t in doc.tables for row in t.rows for c in row.cells]
    panel = next(c for c in cells if "Take-home messages" in c)
    assert panel[1:] == ["Depth is shared", "It can be measured", "Sources: Cooper (2005); Di Malta et al. (2019)"]
    first = next(c for c in cells if c and c[0] == "FINDING 1")
    assert first[1:] == ["Every therapist had met a client at depth", "8 of 8 therapists", "Source: Cooper (2005)"]
    second = next(c for c in cells if c and c[0] == "FINDING 2")
    assert "The scale is reliable" in second and "Source: Di Malta et al. (2019)" in second
