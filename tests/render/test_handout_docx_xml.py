"""Tests for render/handout_docx_xml.py: the WordprocessingML python-docx lacks."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from lecturegen.model.handout import QrCode
from lecturegen.render.handout_docx_xml import cell_borders, qr_png, shade


def test_cells_are_shaded_and_bordered_on_the_edges_asked_for_only() -> None:
    doc = Document()
    cell = doc.add_table(rows=1, cols=1).rows[0].cells[0]
    shade(cell, "0F766E")
    cell_borders(cell, left=(32, "D97706"))
    tc_pr = cell._tc.tcPr
    assert tc_pr.find(qn("w:shd")).get(qn("w:fill")) == "0F766E"
    borders = tc_pr.find(qn("w:tcBorders"))
    assert borders.find(qn("w:left")).get(qn("w:color")) == "D97706"
    assert borders.find(qn("w:top")).get(qn("w:val")) == "nil"


def test_a_qr_code_is_drawn_module_by_module_with_its_quiet_zone() -> None:
    modules = ((True, False), (False, True))
    image = Image.open(io.BytesIO(qr_png(QrCode("https://example.org", modules), module_px=4)))
    assert image.size[0] == image.size[1] >= 2 * 4
