"""Tests for render/handout_docx_blocks.py: blocks as Word content, through a rendered DOCX."""

from __future__ import annotations

import io

from docx import Document
from PIL import Image

from lecturegen.render.handout_docx import render_docx
from tests.handout_samples import sample_handout, white_png


def test_a_diagram_is_a_picture_with_its_description_as_alt_text_kept_with_its_caption() -> None:
    handout = sample_handout()
    doc = Document(io.BytesIO(render_docx(handout, white_png)))
    alts = {s._inline.docPr.get("descr"): s for s in doc.inline_shapes}
    alt = "A process in two steps: 1. Safety (both people willing); 2. Depth."  # the diagram's own description
    assert alt in alts
    embed = alts[alt]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(doc.part.related_parts[embed].blob))
    assert image.info.get("dpi", (0, 0))[0] >= 199  # drawn at 200 dpi
    texts = [p.text for p in doc.paragraphs]
    caption = texts.index("After Knox and Cooper (2010).")
    picture = next(p for p in doc.paragraphs[:caption][::-1] if p._p.xpath(".//pic:pic"))
    assert picture.paragraph_format.keep_with_next
    assert doc.paragraphs[caption].paragraph_format.keep_with_next
    assert texts[caption + 1] == "Source: Knox and Cooper (2010)"


def test_a_big_number_is_a_tinted_call_out() -> None:
    doc = Document(io.BytesIO(render_docx(sample_handout(), white_png)))
    cells = [c for t in doc.tables for row in t.rows for c in row.cells]
    assert any(c.paragraphs[0].text == "8 of 8" for c in cells)


def test_a_page_break_rides_on_the_last_paragraph_not_a_paragraph_of_its_own() -> None:
    """A paragraph holding only a break, after text that fills its page, would make a blank page."""
    from docx import Document
    from docx.oxml.ns import qn

    from lecturegen.render.handout_docx_blocks import BlockWriter

    writer = BlockWriter.__new__(BlockWriter)
    writer.doc = Document()
    writer.doc.add_paragraph("The last line of a full page")
    before = len(writer.doc.paragraphs)
    writer._page_break()
    assert len(writer.doc.paragraphs) == before
    assert writer.doc.paragraphs[-1]._p.find(f".//{qn('w:br')}").get(qn("w:type")) == "page"
    writer.doc.add_table(rows=1, cols=1)
    writer._page_break()  # after a table there is no paragraph to carry it
    assert len(writer.doc.paragraphs) == before + 1
