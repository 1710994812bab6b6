"""Tests for the organiser's handout: PDF and DOCX from the same compiled deck as the slides."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from lecturegen.build import prepare
from lecturegen.diagnostics import Diagnostics, LecturegenError
from lecturegen.build import Prepared, store_for
from lecturegen.render.handout import SLIDE_BLOCKS, build_programme, render_handout
from lecturegen.store.charts import ChartDrawer
from lecturegen.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def handout_of(prepared: Prepared, **options: object) -> bytes:
    drawer = ChartDrawer(store_for(prepared.workspace), parallel=False)
    return render_handout(prepared.result.deck, prepared.result.plan, prepared.talk.day_start, prepared.theme.logo,
                          drawer.png, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def keynote():  # type: ignore[no-untyped-def]
    return prepare(Workspace(ROOT), "keynote-1h", Diagnostics())


@pytest.fixture(scope="module")
def workshop():  # type: ignore[no-untyped-def]
    return prepare(Workspace(ROOT), "workshop-1day", Diagnostics())


@pytest.fixture(scope="module")
def keynote_pdf(keynote) -> bytes:  # type: ignore[no-untyped-def]
    return handout_of(keynote, fmt="pdf")


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    # Long URLs are allowed to break at zero-width spaces; join the lines back for searching.
    return text.replace("\u200b", "")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _dois(prepared) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.link for entry in prepared.result.deck.references for r in entry
            if r.link and r.link.startswith("https://doi.org/")]


def test_pdf_has_title_programme_and_every_doi(keynote, keynote_pdf) -> None:  # type: ignore[no-untyped-def]
    text = _text(keynote_pdf)
    deck = keynote.result.deck
    assert deck.title in text
    assert "Programme" in text and "References" in text
    squashed = _squash(text)
    # Every section of the plan with its start time (elapsed times: the keynote has no day start).
    for section in keynote.result.plan.sections:
        if section.slides:
            assert _squash(section.title) in squashed or section.title == "Opening"
    assert "0:00–" in text
    dois = _dois(keynote)
    assert dois, "the keynote cites works with DOIs"
    for doi in dois:
        assert doi in squashed, doi


def test_pdf_doi_link_annotations(keynote, keynote_pdf) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(keynote_pdf))
    uris = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            action = obj.get("/A")
            if action is not None and action.get_object().get("/URI"):
                uris.add(str(action.get_object()["/URI"]))
    assert set(_dois(keynote)) <= uris


def test_pdf_metadata_outline_and_fonts(keynote, keynote_pdf) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(keynote_pdf))
    deck = keynote.result.deck
    assert reader.metadata.title == deck.title
    assert reader.metadata.author == deck.presenter
    assert reader.metadata.subject
    assert str(reader.trailer["/Root"].get("/Lang")) == deck.language
    titles = []

    def walk(items) -> None:  # type: ignore[no-untyped-def]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert "Programme" in titles and "References" in titles and "Learning outcomes" in titles
    content_sections = {s.section for s in deck.slides if s.section and s.kind not in ("section", "closing")}
    assert content_sections and content_sections <= set(titles)
    fonts = set()
    for page in reader.pages[:3]:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    if Path("/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf").is_file():
        assert any("Carlito" in f for f in fonts), fonts  # the Calibri theme embeds its metric twin


def test_pdf_is_deterministic(keynote, keynote_pdf) -> None:  # type: ignore[no-untyped-def]
    assert handout_of(keynote, fmt="pdf") == keynote_pdf


def test_paper_sizes(keynote, keynote_pdf) -> None:  # type: ignore[no-untyped-def]
    a4 = PdfReader(io.BytesIO(keynote_pdf)).pages[0].mediabox
    letter = PdfReader(io.BytesIO(handout_of(keynote, fmt="pdf", paper="letter"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_workshop_programme_has_clock_times_and_breaks(workshop) -> None:  # type: ignore[no-untyped-def]
    text = _text(handout_of(workshop, fmt="pdf"))
    day_start = workshop.talk.day_start
    assert day_start and f"{day_start}–" in text
    breaks = [s for s in workshop.result.deck.slides if s.kind == "break"]
    assert breaks
    for slide in breaks:
        title = "".join(r.text for r in slide.title)
        assert title in text
    # Exercise instructions carry their grouping and minutes.
    badges = [s.badge for s in workshop.result.deck.slides if s.kind == "exercise" and s.badge]
    assert badges and all(_squash(b) in _squash(text) for b in badges)


def test_programme_splits_sections_at_breaks(workshop) -> None:  # type: ignore[no-untyped-def]
    entries = build_programme(workshop.result.plan, lambda m: f"{m:.0f}", "Opening")
    kinds = [e.kind for e in entries]
    assert "break" in kinds
    starts = [float(e.start) for e in entries]
    assert starts == sorted(starts)


def test_start_overrides_the_clock(keynote) -> None:  # type: ignore[no-untyped-def]
    text = _text(handout_of(keynote, fmt="pdf", start="14:00"))
    assert "14:00–" in text


def test_generated_slides_are_not_key_points() -> None:
    for kind in ("title", "agenda", "section", "references"):
        assert SLIDE_BLOCKS[kind].__name__ == "_nothing"


def test_docx_headings_references_and_properties(keynote) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    blob = handout_of(keynote, fmt="docx")
    assert blob == handout_of(keynote, fmt="docx")  # deterministic
    doc = Document(io.BytesIO(blob))
    deck = keynote.result.deck
    styles = [p.style.name for p in doc.paragraphs]
    assert "Heading 1" in styles and "Heading 2" in styles and "Title" in styles
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Programme" in headings and "References" in headings
    body = "\n".join(p.text for p in doc.paragraphs)
    first_ref = "".join(r.text for r in deck.references[0])
    assert first_ref.split(".")[0] in body
    refs = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent is not None
            and p.paragraph_format.first_line_indent < 0]
    assert len(refs) >= len(deck.references)  # hanging indents
    xml = doc.element.xml
    assert "w:hyperlink" in xml
    rels = {r.target_ref for r in doc.part.rels.values() if r.is_external}
    assert set(_dois(keynote)) <= rels
    charts = [s for s in deck.slides if s.kind == "chart"]
    assert len(doc.inline_shapes) >= len(charts)
    alts = {s._inline.docPr.get("descr") for s in doc.inline_shapes}
    assert all(s.chart.alt in alts for s in charts if s.chart)
    props = doc.core_properties
    assert props.title == deck.title and props.author == deck.presenter
    assert int(props.created.timestamp()) == deck.timestamp


def test_docx_letter_paper(keynote) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    doc = Document(io.BytesIO(handout_of(keynote, fmt="docx", paper="letter")))
    assert round(doc.sections[0].page_width.mm) == 216


def test_thumbnails_missing_libreoffice(monkeypatch, keynote) -> None:  # type: ignore[no-untyped-def]
    from lecturegen.render import office

    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(LecturegenError) as info:
        office.render_slide_pngs(b"not used")
    diag = info.value.diagnostics[0]
    assert diag.code == "handout.libreoffice"
    assert "needs LibreOffice" in diag.message and "apt-get install" in (diag.hint or "")


def test_cli_thumbnails_without_libreoffice_exits_1(monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from lecturegen.cli import main

    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice, no pdftoppm
    out = tmp_path / "h.pdf"
    result = CliRunner().invoke(main, ["handout", "keynote-1h", "--thumbnails", "--root", str(ROOT), "-o", str(out)])
    assert result.exit_code == 1
    assert "needs LibreOffice" in result.output
    assert not out.exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice (soffice) and poppler's pdftoppm are needed to draw slide thumbnails")
def test_thumbnails_with_libreoffice(keynote) -> None:  # type: ignore[no-untyped-def]
    from lecturegen.build import render_deck
    from lecturegen.render.office import render_slide_pngs

    thumbs = render_slide_pngs(render_deck(keynote))
    assert len(thumbs) == len([s for s in keynote.result.deck.slides if not s.hidden])
    assert all(t.startswith(b"\x89PNG") for t in thumbs)
    plain = PdfReader(io.BytesIO(handout_of(keynote, fmt="pdf")))
    pdf = PdfReader(io.BytesIO(handout_of(keynote, fmt="pdf", thumbnails=thumbs)))
    assert len(pdf.pages) >= len(plain.pages) + len(thumbs) // 3
    text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Slides and notes" in text and f"Slide {len(thumbs)}" in text
    thumb_pages = [p for p in pdf.pages if "Slide 2" in (p.extract_text() or "")]
    assert thumb_pages and len(thumb_pages[0].images) >= 3


def _writer_available() -> bool:
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    # Writer ships its own module; Impress alone cannot convert a .docx.
    return any(Path(p).exists() for p in ("/usr/lib/libreoffice/program/libswlo.so",
                                          "/usr/lib/libreoffice/program/libswlx.so"))


@pytest.mark.skipif(not _writer_available(), reason="LibreOffice Writer (libreoffice-writer) is not installed")
def test_docx_opens_in_libreoffice(keynote, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    docx = tmp_path / "handout.docx"
    docx.write_bytes(handout_of(keynote, fmt="docx"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=240)
    pdf = (tmp_path / "handout.pdf").read_bytes()
    text = _text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 5
    assert "Meeting at relational depth" in text and "References" in text
