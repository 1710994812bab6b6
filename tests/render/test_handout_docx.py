"""The DOCX handout as Word opens it (python-docx): the same parts as the PDF, in Word's own styles."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from lecturegen.build import Prepared, prepare, store_for
from lecturegen.compile.handout import HandoutOptions, deck_to_handout
from lecturegen.diagnostics import Diagnostics
from lecturegen.model.handout import Handout
from lecturegen.render.handout import render_handout
from lecturegen.store.charts import ChartDrawer
from lecturegen.workspace import Workspace
from tests.render.test_handout_pdf import CHECKLIST, SLIDES_URL, bibliography_dois

ROOT = Path(__file__).resolve().parents[2]


def docx_of(prepared: Prepared, handout: Handout) -> bytes:
    return render_handout(handout, "docx", ChartDrawer(store_for(prepared.workspace), parallel=False).png)


@pytest.fixture(scope="module")
def workshop() -> Prepared:
    return prepare(Workspace(ROOT), "workshop-1day", Diagnostics())


@pytest.fixture(scope="module")
def handout(workshop: Prepared) -> Handout:
    exercise = next(s.id for s in workshop.result.deck.slides if s.kind == "exercise" and s.id)
    options = HandoutOptions(day_start=workshop.talk.day_start, contact="Mick Cooper\nm.cooper@example.org",
                             slides_url=SLIDES_URL, worksheets={exercise: CHECKLIST})
    return deck_to_handout(workshop.result.deck, workshop.result.plan, options)


@pytest.fixture(scope="module")
def blob(workshop: Prepared, handout: Handout) -> bytes:
    return docx_of(workshop, handout)


def body_text(doc) -> str:  # type: ignore[no-untyped-def]
    """Every paragraph's text, including those in table cells, hyperlinks included."""
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p")))


def test_word_styles_carry_the_structure(handout: Handout, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    by_style: dict[str, list[str]] = {}
    # The take-home messages sit in a tinted panel (a one-cell table): its paragraphs count too.
    panels = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    for p in list(doc.paragraphs) + panels:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == [handout.cover.title]
    assert by_style["Subtitle"] == [handout.cover.subtitle]
    expected = ["Key findings", "Programme"] + [s.title for s in handout.sections] + ["References"]
    assert by_style["Heading 1"] == expected
    # The take-home slide's own title heads its block (the workshop's is "What we take from today").
    assert "What we take from today" in by_style["Heading 2"] and "Learning outcomes" in by_style["Heading 2"]
    assert len(by_style["List Bullet"]) >= len(handout.key_findings.outcomes)  # type: ignore[union-attr]
    assert "My strategies of disconnection" in by_style["Heading 3"]


def test_every_doi_and_link_is_plain_text_and_a_hyperlink(workshop: Prepared, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    text = body_text(doc)
    for doi in bibliography_dois(workshop):
        assert doi in text
    links = {r.link for entry in workshop.result.deck.references for r in entry if r.link}
    targets = {r.target_ref for r in doc.part.rels.values() if r.is_external}
    assert links | {SLIDES_URL} <= targets
    refs = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent is not None
            and p.paragraph_format.first_line_indent < 0]
    assert len(refs) >= len(workshop.result.deck.references)  # hanging indents


def test_programme_table_durations_match_its_times(handout: Handout, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    assert handout.programme is not None
    table = next(t for t in doc.tables if t.rows and len(t.rows[0].cells) == 3
                 and t.rows[0].cells[1].text == handout.programme.rows[0].title)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert handout.programme is not None
    assert [r[1] for r in rows] == [r.title for r in handout.programme.rows]
    for (time, _, duration), row in zip(rows, handout.programme.rows):
        assert time == f"{row.start}–{row.end}" and duration == row.duration


def test_charts_qr_code_and_logo_are_pictures_with_alt_text(handout: Handout, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert f"QR code: {SLIDES_URL}" in alts
    charts = handout.chart_blocks
    assert sum(1 for a in alts if a in {b.alt for b in charts}) == len(charts)


def test_worksheet_has_tick_boxes_and_writing_lines(blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    texts = [p.text for p in doc.paragraphs]
    assert "\u2610\tGoing quiet behind a professional manner" in texts
    question = texts.index("Which of these do you notice most often?")
    lines = doc.paragraphs[question + 1:question + 5]
    assert all(p.text == "" and p._p.pPr.find(qn("w:pBdr")) is not None for p in lines)


def test_core_properties_language_and_fixed_dates(workshop: Prepared, handout: Handout, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    props = doc.core_properties
    meta = handout.metadata
    assert (props.title, props.author, props.subject, props.language) == (
        meta.title, meta.author, meta.subject, meta.language)
    assert "handout" in props.keywords
    assert int(props.created.timestamp()) == meta.timestamp == int(props.modified.timestamp())
    lang = doc.styles["Normal"].element.find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == meta.language


def test_the_same_handout_gives_the_same_bytes(workshop: Prepared, handout: Handout, blob: bytes) -> None:
    assert docx_of(workshop, handout) == blob


def test_letter_paper(workshop: Prepared) -> None:
    handout = deck_to_handout(workshop.result.deck, workshop.result.plan, HandoutOptions(paper="letter"))
    doc = Document(io.BytesIO(docx_of(workshop, handout)))
    assert round(doc.sections[0].page_width.mm) == 216


def test_a_title_over_255_characters_is_trimmed_in_the_properties_not_a_traceback(mini: Path) -> None:
    """Word's core properties hold 255 characters; the handout's own title page keeps the whole title."""
    from click.testing import CliRunner

    from lecturegen.cli import main

    talk = mini / "content" / "talks" / "small.yaml"
    long_title = "A very long title " * 20
    talk.write_text(talk.read_text().replace("title: A small talk", f"title: {long_title.strip()}"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["handout", "small", "--format", "docx", "--root", str(mini)])
    assert result.exit_code == 0, result.output
    doc = Document(str(mini / "build" / "small-handout.docx"))
    assert len(doc.core_properties.title) == 255 and doc.core_properties.title.endswith("…")


def test_big_numbers_are_tinted_call_outs_that_do_not_split(handout: Handout, blob: bytes) -> None:
    from lecturegen.model.handout import Statement

    bigs = ["".join(r.text for r in b.big) for s in handout.sections for b in s.blocks if isinstance(b, Statement)]
    assert bigs
    doc = Document(io.BytesIO(blob))
    cells = {cell.paragraphs[0].text: cell for table in doc.tables for row in table.rows for cell in row.cells
             if cell.paragraphs}
    for big in bigs:
        cell = cells[big]  # the number opens its own box, not a bullet
        assert cell.paragraphs[0].style.name != "List Bullet"
        assert max(r.font.size.pt for r in cell.paragraphs[0].runs if r.font.size) >= 15
        tc_pr = cell._tc.tcPr
        assert tc_pr.find(qn("w:shd")) is not None and tc_pr.find(qn("w:tcBorders")) is not None
        assert cell._tc.getparent().find(qn("w:trPr")).find(qn("w:cantSplit")) is not None


def test_a_rated_checklist_is_a_grid_with_its_anchors_kept_on_one_page(handout: Handout, blob: bytes) -> None:
    from lecturegen.model.handout import Rating

    sheet = next(w for w in handout.worksheets if w.scale)
    rated = ["".join(r.text for r in i.runs) for i in sheet.items if isinstance(i, Rating)]
    doc = Document(io.BytesIO(blob))
    grid = next(t for t in doc.tables if t.rows[-1].cells[0].text == rated[-1])
    assert len(grid.columns) == 1 + len(sheet.scale)
    head = [c.text for c in grid.rows[0].cells[1:]]
    assert head == [f"{p.value}\n{''.join(r.text for r in p.anchor)}" for p in sheet.scale]
    assert [r.cells[0].text for r in grid.rows[1:]] == rated
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in grid.rows)
    # every row but the last keeps with the next, so Word moves the grid whole
    assert all(p.paragraph_format.keep_with_next for r in grid.rows[:-1] for c in r.cells for p in c.paragraphs)
    texts = [p.text for p in doc.paragraphs]
    title = "".join(r.text for r in sheet.title)
    start = texts.index(title) - 1
    assert all(doc.paragraphs[i].paragraph_format.keep_with_next for i in range(start, texts.index(title) + 1))
    assert not any(t.startswith("\u2610") and t[2:] in rated for t in texts)


def test_a_contents_list_is_a_toc_field_over_the_parts_and_sections(handout: Handout, blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    body = doc.element.body
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert any(i.strip().startswith("TOC ") and '\\o "1-1"' in i and "\\h" in i for i in instructions)
    chars = [c.get(qn("w:fldCharType")) for c in body.iter(qn("w:fldChar"))]
    assert chars.count("begin") == chars.count("end") >= 1
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Contents")
    shown = texts[start + 1:start + 1 + len(handout.sections) + 2]
    assert shown[:2] == ["Key findings", "Programme"] and shown[2:] == [s.title for s in handout.sections]
    # the contents sit on the cover, before the first page break
    first_break = next(i for i, p in enumerate(doc.paragraphs) if 'w:type="page"' in p._p.xml)
    assert start < first_break
    update = doc.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_tables_have_light_rules_not_a_heavy_grid(blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    assert doc.tables
    for table in doc.tables:
        assert table.style is None or table.style.name != "Table Grid"
        for edge in table._tbl.tblPr.iter():
            if edge.tag.endswith(("insideV", "insideH")):
                assert edge.get(qn("w:val")) in ("nil", "none")
    # rules, not boxes: no cell is closed on all sides, and no rule is heavier than 1.5 pt
    for borders in (b for t in doc.tables for b in t._tbl.iter(qn("w:tcBorders"))):
        drawn = {e.tag.split("}")[1] for e in borders if e.get(qn("w:val")) not in ("nil", "none")}
        assert drawn != {"top", "left", "bottom", "right"}
    sizes = [int(e.get(qn("w:sz"))) for t in doc.tables for e in t._tbl.iter() if e.get(qn("w:sz"))
             and e.getparent().tag == qn("w:tcBorders") and e.tag != qn("w:left")]
    assert sizes and max(sizes) <= 12


def test_no_caption_or_source_line_can_be_left_alone_at_the_top_of_a_page(handout: Handout, blob: bytes) -> None:
    from lecturegen.model.handout import ChartBlock

    doc = Document(io.BytesIO(blob))
    body = [c for c in doc.element.body.iterchildren() if c.tag in (qn("w:p"), qn("w:tbl"))]

    def text(el: object) -> str:
        return "".join(t.text or "" for t in el.iter(qn("w:t")))  # type: ignore[attr-defined]

    def keeps(el: object) -> bool:
        if el.tag == qn("w:p"):  # type: ignore[attr-defined]
            ppr = el.find(qn("w:pPr"))  # type: ignore[attr-defined]
            return ppr is not None and ppr.find(qn("w:keepNext")) is not None
        last = el.findall(qn("w:tr"))[-1]  # type: ignore[attr-defined]
        return all(keeps(p) for p in last.iter(qn("w:p")))

    captions = {"".join(r.text for r in b.caption) for s in handout.sections for b in s.blocks
                if isinstance(b, ChartBlock) and b.caption}
    checked = 0
    for i, el in enumerate(body):
        if el.tag == qn("w:p") and text(el) in captions:
            before = body[i - 1]
            assert keeps(before), text(el)
            checked += 1
    assert checked
