"""Tests for render/handout_docx_cover.py: the DOCX cover."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from lecturegen.render.handout_docx import render_docx
from tests.handout_samples import sample_handout, white_png


def test_the_band_holds_the_title_in_the_themes_colour_and_the_facts_follow() -> None:
    handout = sample_handout()
    doc = Document(io.BytesIO(render_docx(handout, white_png)))
    band, facts, question = doc.tables[0], doc.tables[1], doc.tables[2]
    cell = band.rows[0].cells[0]
    tc_pr = cell._tc.tcPr
    assert tc_pr is not None
    assert tc_pr.find(qn("w:shd")).get(qn("w:fill")) == handout.style.colors["band"]
    assert [p.style.name for p in cell.paragraphs][1:] == ["Title", "Subtitle"]
    assert cell.paragraphs[1].text == "Depth on paper"
    rows = [[c.text for c in row.cells] for row in facts.rows]
    assert rows == [["PRESENTER", "Test Presenter, Test University"], ["EVENT", "Test Day"], ["DATE", "2026"],
                    ["VENUE", "Room 1"], ["SESSION", "1 h"]]
    assert [p.text for p in question.rows[0].cells[0].paragraphs] == ["A QUESTION FOR YOU",
                                                                     "When did you last feel truly met?"]
