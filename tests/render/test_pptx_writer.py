"""Renderer tests: open the written deck with python-pptx and check placeholders, notes, links, timings."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from lecturegen.build import prepare, render_deck
from lecturegen.diagnostics import Diagnostics
from lecturegen.workspace import Workspace

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


def deck_of(root: Path, name: str = "small") -> Presentation:
    blob = render_deck(prepare(Workspace(root), name, Diagnostics()))
    return Presentation(io.BytesIO(blob))


def test_sixteen_by_nine_and_named_layouts(mini: Path) -> None:
    prs = deck_of(mini)
    assert (Emu(prs.slide_width).inches, round(Emu(prs.slide_height).inches, 2)) == (13.333333333333334, 7.5)
    names = [s.slide_layout.name for s in prs.slides]
    assert names[:4] == ["Title Slide", "Title and Content", "Section Header", "Title and Content"]


def test_titles_live_in_title_placeholders_and_body_in_body(mini: Path) -> None:
    prs = deck_of(mini)
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder
        assert title.placeholder_format.type in TITLE_TYPES
        assert title.text_frame.text.strip()
    bullets = prs.slides[3]
    body = [ph for ph in bullets.placeholders if ph.placeholder_format.idx == 1][0]
    assert body.text_frame.paragraphs[0].text == "Therapists described deep moments"  # its source: the line below
    assert [p.level for p in body.text_frame.paragraphs] == [0, 0, 1, 1]
    # Text boxes that say something (the accent rule under the title is a shape with no text).
    text_boxes = [s for s in bullets.shapes if not s.is_placeholder and s.has_text_frame and s.text_frame.text]
    assert [s.name for s in text_boxes] == ["Caption"]


def test_notes_on_every_slide_start_with_the_timing_cue(mini: Path) -> None:
    for slide in deck_of(mini).slides:
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith("⏱ ")


def test_footer_and_slide_number_are_placeholders(mini: Path) -> None:
    slide = deck_of(mini).slides[3]
    kinds = {ph.placeholder_format.type: ph.text_frame.text for ph in slide.placeholders}
    assert kinds[PP_PLACEHOLDER.FOOTER] == "A small talk"
    assert kinds[PP_PLACEHOLDER.SLIDE_NUMBER] == "4"


def test_reference_paragraphs_have_hanging_indents_and_doi_links(mini: Path) -> None:
    slide = deck_of(mini).slides[5]
    body = [ph for ph in slide.placeholders if ph.placeholder_format.idx == 1][0]
    first = body.text_frame.paragraphs[0]
    ppr = first._p.pPr
    assert int(ppr.get("marL")) > 0 and int(ppr.get("indent")) == -int(ppr.get("marL"))
    links = [r.hyperlink.address for r in first.runs if r.hyperlink.address]
    assert links == ["https://doi.org/10.1080/17441690500211130"]
    assert any(r.font.italic for r in first.runs)  # the journal name


def test_rehearsal_timings_without_auto_advance(mini: Path) -> None:
    blob = render_deck(prepare(Workspace(mini), "small", Diagnostics()))
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        slide = z.read("ppt/slides/slide4.xml").decode()
        props = z.read("ppt/presProps.xml").decode()
        times = {i.date_time for i in z.infolist()}
    assert 'advTm="' in slide and 'advClick="1"' in slide
    assert 'useTimings="0"' in props
    assert times == {(2026, 1, 1, 0, 0, 0)}


def test_generated_template_has_no_sample_slides_and_all_layouts(mini: Path) -> None:
    prs = deck_of(mini)
    layout_names = {layout.name for layout in prs.slide_layouts}
    for needed in ("Title Slide", "Title and Content", "Section Header", "Two Content", "Comparison",
                   "Title Only", "Blank"):
        assert needed in layout_names
    assert len(prs.slides) == 6


def test_image_and_table_slides(mini: Path) -> None:
    from PIL import Image

    (mini / "content" / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 400), (15, 118, 110)).save(mini / "content" / "images" / "room.png")
    section = mini / "content" / "sections" / "intro.yaml"
    section.write_text(section.read_text() + """  - kind: image
    id: room
    title: The room we work in
    image: room.png
    alt: A teal rectangle standing in for a photograph of a counselling room
    caption: An illustration [@cooper2005]
    notes: Describe the room.
  - kind: table
    id: samples
    title: Who took part
    columns: [Study, Participants]
    rows:
      - ["@cooper2005", "8 therapists"]
      - ["@knox2010", "14 clients"]
    notes: Walk through the table.
""", encoding="utf-8")
    prs = deck_of(mini)
    titles = [s.shapes.title.text for s in prs.slides]
    image_slide = prs.slides[titles.index("The room we work in")]
    pictures = [s for s in image_slide.shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr").startswith("A teal rectangle")
    caption = [s for s in image_slide.shapes if s.name == "Caption"][0].text_frame.text
    assert caption == "An illustration  Source: Cooper (2005)"
    table_slide = prs.slides[titles.index("Who took part")]
    table = [s for s in table_slide.shapes if s.has_table][0].table
    assert table.cell(0, 0).text == "Study"
    assert table.cell(1, 0).text == "Cooper (2005)" and table.cell(2, 1).text == "14 clients"


def test_reveal_writes_one_click_per_bullet_and_impress_plays_them(mini: Path, tmp_path: Path) -> None:
    """`reveal: bullets`: a PowerPoint build per top-level bullet (its sub-bullets with it), counted by the
    timing cue, and LibreOffice Impress imports each as an on-click animation."""
    import re
    import shutil
    import subprocess

    talk = mini / "content" / "talks" / "small.yaml"
    talk.write_text(talk.read_text() + "reveal: bullets\n", encoding="utf-8")
    prs = deck_of(mini)
    slide = prs.slides[3]
    xml = etree.tostring(slide._element).decode()
    assert xml.count('nodeType="clickEffect"') == 2  # two top-level bullets; the sub-bullets come with the second
    assert '<p:pRg st="1" end="3"/>' in xml
    notes = slide.notes_slide.notes_text_frame.text
    assert re.match(r"⏱ \d+:\d\d → slide 4 · .* · 2 clicks", notes)
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed; .ci/setup installs it")
    deck = tmp_path / "reveal.pptx"
    deck.write_bytes(render_deck(prepare(Workspace(mini), "small", Diagnostics())))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "odp", "--outdir", str(tmp_path), str(deck)], check=True, capture_output=True, timeout=240)
    with zipfile.ZipFile(tmp_path / "reveal.odp") as odp:
        content = odp.read("content.xml").decode()
    assert content.count('presentation:node-type="on-click"') == 2
